// Parsed events by id and version, shared by the writer and the readers, so hot paths skip JSON parsing.
#pragma once

#include "core/domain/event.hpp"
#include "core/store/database.hpp"
#include "core/store/events_repo.hpp"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace ensemble::core::services {

class event_cache {
public:
    // The event (seat counts not filled) at the head's version, loaded when the cache has an older one.
    std::shared_ptr<const event_record> get(store::connection& c, const store::event_head& head);
    void forget(long long id);

private:
    std::mutex mutex_;
    std::unordered_map<long long, std::shared_ptr<const event_record>> events_;
};

}  // namespace ensemble::core::services
