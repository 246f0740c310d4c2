// Ctrl-C while a query runs: a SIGINT handler, installed only around the
// query (or around the interactive session, between prompts), that sets the
// flag QueryOptions::cancel points to. At the prompt the line editor
// handles ^C itself (tools/shell/line_editor.h).

#ifndef KGSTORE_TOOLS_SHELL_SIGINT_SCOPE_H_
#define KGSTORE_TOOLS_SHELL_SIGINT_SCOPE_H_

#include <signal.h>

#include <atomic>

namespace kg::tools::shell {

// Set by the handler; cleared when a SigintScope starts. The shell's
// queries, updates, plans and exports pass it as QueryOptions::cancel.
extern std::atomic<bool> g_cancel;

// Installs OnSigint for its lifetime and restores the previous handler.
class SigintScope {
 public:
  SigintScope();
  ~SigintScope();
  SigintScope(const SigintScope&) = delete;
  SigintScope& operator=(const SigintScope&) = delete;

 private:
  struct sigaction old_ {};
};

}  // namespace kg::tools::shell

#endif  // KGSTORE_TOOLS_SHELL_SIGINT_SCOPE_H_
