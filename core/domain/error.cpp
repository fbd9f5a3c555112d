// Names and HTTP statuses of the expected failures.
#include "core/domain/error.hpp"

namespace ensemble::core {

const char* code_name(errc code) noexcept {
    switch (code) {
        case errc::validation: return "validation";
        case errc::unauthenticated: return "unauthenticated";
        case errc::forbidden: return "forbidden";
        case errc::not_found: return "not_found";
        case errc::method_not_allowed: return "method_not_allowed";
        case errc::conflict: return "conflict";
        case errc::full: return "full";
        case errc::already_registered: return "already_registered";
        case errc::payload_too_large: return "payload_too_large";
        case errc::unsupported_media_type: return "unsupported_media_type";
        case errc::rate_limited: return "rate_limited";
        case errc::unavailable: return "unavailable";
        case errc::internal: return "internal";
    }
    return "internal";
}

int http_status(errc code) noexcept {
    switch (code) {
        case errc::validation: return 400;
        case errc::unauthenticated: return 401;
        case errc::forbidden: return 403;
        case errc::not_found: return 404;
        case errc::method_not_allowed: return 405;
        case errc::conflict:
        case errc::full:
        case errc::already_registered: return 409;
        case errc::payload_too_large: return 413;
        case errc::unsupported_media_type: return 415;
        case errc::rate_limited: return 429;
        case errc::unavailable: return 503;
        case errc::internal: return 500;
    }
    return 500;
}

void throw_exception_from_error(const failure& f, const boost::source_location&) {
    throw failure_exception(f);
}

}  // namespace ensemble::core
