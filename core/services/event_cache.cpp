// A map guarded by one mutex; loading happens outside the lock.
#include "core/services/event_cache.hpp"

#include <stdexcept>

namespace ensemble::core::services {

std::shared_ptr<const event_record> event_cache::get(store::connection& c, const store::event_head& head) {
    {
        std::lock_guard lock(mutex_);
        auto it = events_.find(head.id);
        if (it != events_.end() && it->second->version == head.version) return it->second;
    }
    auto loaded = store::load_event(c, head.id);
    if (!loaded) throw std::runtime_error("event " + std::to_string(head.id) + " vanished while loading");
    auto ptr = std::make_shared<const event_record>(std::move(*loaded));
    std::lock_guard lock(mutex_);
    auto& slot = events_[head.id];
    if (!slot || slot->version <= ptr->version) slot = ptr;
    return ptr;
}

void event_cache::forget(long long id) {
    std::lock_guard lock(mutex_);
    events_.erase(id);
}

}  // namespace ensemble::core::services
