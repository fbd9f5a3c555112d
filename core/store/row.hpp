// Reading dynamic SOCI rows the same way on SQLite and PostgreSQL, whatever integer width a column has.
#pragma once

#include <soci/soci.h>

#include <string>

namespace ensemble::core::store {

// The integer in column `i` (0 for NULL), whether the backend reports it as int, long long or text.
long long as_int(const soci::row& r, std::size_t i);
// The text in column `i` (empty for NULL).
std::string as_text(const soci::row& r, std::size_t i);

}  // namespace ensemble::core::store
