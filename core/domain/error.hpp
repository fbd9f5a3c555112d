// Expected failures of use cases: a machine code, a human message and, for validation, the bad fields.
#pragma once

#include <boost/system/result.hpp>

#include <map>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <utility>

namespace ensemble::core {

enum class errc {
    validation,
    unauthenticated,
    forbidden,
    not_found,
    method_not_allowed,
    conflict,
    full,
    already_registered,
    payload_too_large,
    unsupported_media_type,
    rate_limited,
    unavailable,
    internal,
};

// The API's machine code for an errc ("validation", "full", ...).
const char* code_name(errc code) noexcept;
// The HTTP status that goes with an errc.
int http_status(errc code) noexcept;

using field_errors = std::map<std::string, std::string>;

struct failure {
    errc code = errc::internal;
    std::string message;
    field_errors fields;
    // For `full`: seats remaining in the other modes, shown to the caller as alternatives.
    std::map<std::string, long long> alternatives;
    // For `rate_limited`: seconds until a retry may succeed.
    std::optional<int> retry_after;
    // Objects shown beside `error` in the body (the registration a check-in refused, for instance).
    std::map<std::string, std::map<std::string, std::string>> context;
};

inline failure make_failure(errc code, std::string message) {
    return failure{code, std::move(message), {}, {}, {}, {}};
}
inline failure invalid(field_errors fields, std::string message = "Some fields are not valid.") {
    return failure{errc::validation, std::move(message), std::move(fields), {}, {}, {}};
}
inline failure invalid_field(const std::string& field, const std::string& problem) {
    return invalid({{field, problem}});
}
inline failure not_found(std::string what = "Not found.") {
    return failure{errc::not_found, std::move(what), {}, {}, {}, {}};
}

// Thrown by result<T>::value() when it holds a failure; carries the failure.
class failure_exception : public std::runtime_error {
public:
    explicit failure_exception(failure f) : std::runtime_error(f.message), failure_(std::move(f)) {}
    const failure& get() const noexcept { return failure_; }

private:
    failure failure_;
};

[[noreturn]] void throw_exception_from_error(const failure& f, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, failure>;

struct unit {};

}  // namespace ensemble::core
