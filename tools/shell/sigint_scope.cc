// Ctrl-C while a query runs (sigint_scope.h).

#include "tools/shell/sigint_scope.h"

namespace kg::tools::shell {

std::atomic<bool> g_cancel{false};
// The handler may only touch a lock-free atomic.
static_assert(std::atomic<bool>::is_always_lock_free);

namespace {

void OnSigint(int /*sig*/) { g_cancel.store(true); }

}  // namespace

SigintScope::SigintScope() {
  g_cancel.store(false);
  struct sigaction sa {};
  sa.sa_handler = OnSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, &old_);
}

SigintScope::~SigintScope() { sigaction(SIGINT, &old_, nullptr); }

}  // namespace kg::tools::shell
