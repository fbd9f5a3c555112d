// How Boost.Test prints the domain's values in failure messages.
#pragma once

#include "core/domain/error.hpp"
#include "core/domain/event.hpp"
#include "core/domain/registration.hpp"

#include <ostream>

namespace ensemble::core {

inline std::ostream& boost_test_print_type(std::ostream& out, errc code) { return out << code_name(code); }
inline std::ostream& boost_test_print_type(std::ostream& out, mode m) { return out << mode_name(m); }
inline std::ostream& boost_test_print_type(std::ostream& out, registration_status s) { return out << status_name(s); }

}  // namespace ensemble::core
