// ESCALATION_SDK_ADDRESS_SANITIZED: defined when this SDK is built with
// AddressSanitizer. Then the SDK touches no thread-local with a destructor:
// LeakSanitizer's tracer crashed at the exit of a process that had loaded
// and unloaded plugins whose threads held one (no leak, no report). Not
// installed.
#ifndef ESCALATION_SDK_SRC_ADDRESS_SANITIZED_H_
#define ESCALATION_SDK_SRC_ADDRESS_SANITIZED_H_

#if defined(__SANITIZE_ADDRESS__)
#define ESCALATION_SDK_ADDRESS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ESCALATION_SDK_ADDRESS_SANITIZED 1
#endif
#endif

#endif  // ESCALATION_SDK_SRC_ADDRESS_SANITIZED_H_
