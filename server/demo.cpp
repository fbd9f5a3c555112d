// The demo loader: the same validation as the API, so the real events must fit as they are.
#include "server/demo.hpp"

#include "core/domain/event_json.hpp"
#include "core/security/crypto.hpp"
#include "core/services/accounts.hpp"
#include "core/services/events.hpp"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

namespace ensemble::server {

std::string load_demo(core::store::storage& store, const std::string& file, const std::string& credentials_file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("demo: cannot read " + file);
    auto doc = nlohmann::json::parse(in, nullptr, false, true);
    if (doc.is_discarded() || !doc.contains("events") || !doc["events"].is_array()) throw std::runtime_error("demo: " + file + " has no events list");

    auto counts = store.read_now([](core::store::connection& c) -> core::result<std::pair<long long, long long>> {
        long long events = 0, users = 0;
        c.sql << "SELECT COUNT(*) FROM events", soci::into(events);
        c.sql << "SELECT COUNT(*) FROM users", soci::into(users);
        return std::pair{events, users};
    });
    if (!counts) throw std::runtime_error("demo: " + counts.error().message);
    if (counts->first > 0) return "demo: the database has events already; nothing loaded";

    std::string message;
    long long owner_id = 0;
    if (counts->second == 0) {
        std::string password = core::random_token(12);
        core::services::new_user u{"admin@ensemble.local", "Demo Admin", "admin", password};
        std::string hash = core::hash_password(password);
        auto created = store.write_now([u, hash](core::store::connection& c) { return core::services::create_user(c, u, hash); });
        if (!created) throw std::runtime_error("demo: cannot create the demo admin: " + created.error().message);
        owner_id = created->id;
        {
            std::ofstream out(credentials_file, std::ios::trunc);
            out << "email: admin@ensemble.local\npassword: " << password << "\n";
        }
        ::chmod(credentials_file.c_str(), 0600);
        message = "demo: created admin@ensemble.local (password in " + credentials_file + "); ";
    } else {
        auto first = store.read_now([](core::store::connection& c) -> core::result<long long> {
            long long id = 0;
            c.sql << "SELECT MIN(id) FROM users WHERE role = 'admin'", soci::into(id);
            return id;
        });
        owner_id = first ? *first : 1;
    }

    core::services::actor who{owner_id, "admin"};
    int loaded = 0;
    for (const auto& item : doc["events"]) {
        auto spec = core::event_spec_from_json(item);
        if (!spec) {
            std::string fields;
            for (const auto& [k, v] : spec.error().fields) fields += " " + k + ": " + v + ";";
            throw std::runtime_error("demo: event '" + item.value("slug", "?") + "' does not validate:" + fields);
        }
        std::string status = item.value("status", "published");
        auto e = store.write_now([who, s = *spec, status](core::store::connection& c) -> core::result<core::event_record> {
            auto created = core::services::create_event(c, who, s);
            if (!created) return created;
            if (status == "published") return core::services::publish_event(c, who, std::to_string(created->id));
            return created;
        });
        if (!e) throw std::runtime_error("demo: cannot store '" + spec->slug + "': " + e.error().message);
        ++loaded;
    }
    return message + "demo: loaded " + std::to_string(loaded) + " events";
}

}  // namespace ensemble::server
