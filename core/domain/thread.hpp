// Names for the server's threads (seen in top -H, perf and gdb) and a lower CPU priority for
// background work, so that a rush of requests is served before emails are rendered.
#pragma once

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

namespace ensemble::core {

// Linux keeps at most 15 characters.
inline void name_this_thread(const std::string& name) { pthread_setname_np(pthread_self(), name.substr(0, 15).c_str()); }

// Background threads (delivery, planners, housekeeping) run at a higher nice value: they get the
// CPU whenever request threads leave it, and take little from them under a rush. The email senders,
// several threads whose shares add up, use 19. On Linux a thread has its own nice value; failure (a
// sandbox forbidding it) changes nothing else.
inline void lower_this_thread_priority(int nice = 10) {
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), nice);
}

}  // namespace ensemble::core
