// kSanitized: whether this build runs under AddressSanitizer or
// ThreadSanitizer (GCC and clang spell it differently). Their frames are
// several times larger and their code several times slower: tests that
// measure stack depth or promptness allow for that, and say so.

#ifndef KGSTORE_TESTS_UTIL_SANITIZERS_H_
#define KGSTORE_TESTS_UTIL_SANITIZERS_H_

namespace kg::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace kg::testing

#endif  // KGSTORE_TESTS_UTIL_SANITIZERS_H_
