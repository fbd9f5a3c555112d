// Demo content: the programme's real events, loaded into an empty database for newcomers.
#pragma once

#include "core/store/storage.hpp"

#include <string>

namespace ensemble::server {

// Loads the events of `file` (config/demo-events.json) when the database has no event yet,
// creating a demo admin when it has no account; writes that account's password to
// `credentials_file`. Returns a line saying what it did.
std::string load_demo(core::store::storage& store, const std::string& file, const std::string& credentials_file);

}  // namespace ensemble::server
