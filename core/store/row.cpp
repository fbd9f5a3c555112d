// Column readers tolerant of the backends' type reports.
#include "core/store/row.hpp"

namespace ensemble::core::store {

long long as_int(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null) return 0;
    switch (r.get_properties(i).get_data_type()) {
        case soci::dt_integer: return r.get<int>(i);
        case soci::dt_long_long: return r.get<long long>(i);
        case soci::dt_unsigned_long_long: return static_cast<long long>(r.get<unsigned long long>(i));
        case soci::dt_double: return static_cast<long long>(r.get<double>(i));
        case soci::dt_string: return std::stoll(r.get<std::string>(i));
        default: return r.get<long long>(i);
    }
}

std::string as_text(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null) return {};
    if (r.get_properties(i).get_data_type() == soci::dt_string) return r.get<std::string>(i);
    return std::to_string(as_int(r, i));
}

}  // namespace ensemble::core::store
