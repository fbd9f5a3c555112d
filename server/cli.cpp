// Command-line parsing and the serve, migrate and user add commands.
#include "server/cli.hpp"

#include "core/domain/thread.hpp"
#include "core/domain/time.hpp"
#include "core/security/crypto.hpp"
#include "core/services/accounts.hpp"
#include "core/store/migrations.hpp"
#include "server/app.hpp"
#include "server/config.hpp"
#include "server/delivery_loop.hpp"
#include "server/demo.hpp"
#include "server/http_server.hpp"
#include "server/live_hub.hpp"
#include "server/service_loop.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

namespace ensemble::server {

namespace {

struct parsed_args {
    std::vector<std::string> words;
    std::map<std::string, std::string> options;
    std::vector<std::string> flags;
};

const char* usage =
    "usage:\n"
    "  ensemble serve [--config FILE] [--listen HOST:PORT] [--database URL] [--demo]\n"
    "  ensemble migrate [--config FILE] [--database URL]\n"
    "  ensemble user add --email E --name N --role admin|organizer --password-stdin [--config FILE] [--database URL]\n";

parsed_args parse(const std::vector<std::string>& args) {
    static const std::vector<std::string> valued = {"--config", "--listen", "--database", "--email", "--name", "--role"};
    parsed_args p;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.starts_with("--")) {
            auto eq = a.find('=');
            std::string name = a.substr(0, eq);
            if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
                if (eq != std::string::npos) p.options[name] = a.substr(eq + 1);
                else if (i + 1 < args.size()) p.options[name] = args[++i];
                else throw std::invalid_argument(name + " needs a value");
            } else {
                p.flags.push_back(a);
            }
        } else {
            p.words.push_back(a);
        }
    }
    return p;
}

bool has_flag(const parsed_args& p, const char* f) { return std::find(p.flags.begin(), p.flags.end(), f) != p.flags.end(); }

// The config file, then command-line flags, then ENSEMBLE_LISTEN / ENSEMBLE_DATABASE (which win).
config settings_of(const parsed_args& p) {
    auto env = ensemble_environment();
    std::string file = p.options.count("--config") ? p.options.at("--config") : "";
    std::vector<std::pair<std::string, std::string>> merged;
    auto set_in_env = [&](const char* name) {
        return std::any_of(env.begin(), env.end(), [&](const auto& kv) { return kv.first == name; });
    };
    if (p.options.count("--listen") && !set_in_env("ENSEMBLE_LISTEN")) merged.emplace_back("ENSEMBLE_LISTEN", p.options.at("--listen"));
    if (p.options.count("--database") && !set_in_env("ENSEMBLE_DATABASE")) merged.emplace_back("ENSEMBLE_DATABASE", p.options.at("--database"));
    merged.insert(merged.end(), env.begin(), env.end());
    return load_config(file, merged);
}

void setup_logging(const config& cfg) {
    auto logger = spdlog::stderr_color_mt("ensemble");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(spdlog::level::from_str(cfg.log.level));
}

core::store::storage_options storage_of(const config& cfg) {
    core::store::storage_options o;
    o.url = cfg.database;
    o.read_threads = 1;
    o.postgres_writers = 1;
    o.sqlite.synchronous_full = cfg.storage.sqlite_synchronous == "full";
    return o;
}

void run_migrations(const config& cfg) {
    auto url = core::store::parse_database_url(cfg.database);
    core::store::sqlite_tuning tuning;
    core::store::connection c(url, tuning);
    auto report = core::store::migrate(c);
    if (report.applied.empty()) spdlog::info("database: schema is at version {}", report.to_version);
    else spdlog::info("database: migrated from version {} to {}", report.from_version, report.to_version);
}

int cmd_migrate(const parsed_args& p) {
    auto cfg = settings_of(p);
    setup_logging(cfg);
    run_migrations(cfg);
    return 0;
}

int cmd_user_add(const parsed_args& p) {
    auto cfg = settings_of(p);
    setup_logging(cfg);
    if (!has_flag(p, "--password-stdin")) {
        std::cerr << "user add: the password is read from standard input; pass --password-stdin\n" << usage;
        return 2;
    }
    core::services::new_user u;
    u.email = p.options.count("--email") ? p.options.at("--email") : "";
    u.name = p.options.count("--name") ? p.options.at("--name") : "";
    u.role = p.options.count("--role") ? p.options.at("--role") : "";
    std::getline(std::cin, u.password);
    if (!u.password.empty() && u.password.back() == '\r') u.password.pop_back();
    auto errors = core::services::validate_new_user(u);
    if (!errors.empty()) {
        for (const auto& [field, problem] : errors) std::cerr << "user add: " << field << " " << problem << "\n";
        return 2;
    }
    run_migrations(cfg);
    core::init_crypto();
    std::string hash = core::hash_password(u.password);
    core::store::storage store(storage_of(cfg));
    auto created = store.write_now([u, hash](core::store::connection& c) { return core::services::create_user(c, u, hash); });
    if (!created) {
        std::cerr << "user add: " << created.error().message << "\n";
        return created.error().code == core::errc::conflict ? 3 : 2;
    }
    std::cout << "created " << created->role << " " << created->email << " (id " << created->id << ")\n";
    return 0;
}

int cmd_serve(const parsed_args& p) {
    auto cfg = settings_of(p);
    setup_logging(cfg);
    core::init_crypto();
    core::load_time_zones();
    std::filesystem::create_directories(cfg.data_dir);
    run_migrations(cfg);

    // One context per I/O thread: each runs on one thread, so its connections need no strands and
    // its queue no cross-thread hand-offs (the writer's completions still post to it).
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
    for (int i = 0; i < cfg.io_threads; ++i) contexts.push_back(std::make_unique<boost::asio::io_context>(1));
    boost::asio::io_context& ioc = *contexts.front();
    app a(cfg, ioc);
    for (auto& c : contexts) a.connection_contexts.push_back(c.get());
    if (has_flag(p, "--demo")) {
        std::string demo_file = "config/demo-events.json";
        if (const char* f = std::getenv("ENSEMBLE_DEMO_FILE")) demo_file = f;
        spdlog::info("{}", load_demo(*a.store, demo_file, cfg.data_dir + "/demo-credentials.txt"));
    }
    service_loop services(a);
    delivery_loop delivery(a);
    http_server server(a);
    server.start();
    services.start();
    a.live->start();
    delivery.start();
    // Health counts from now: the demo data and migrations above may have taken longer than its 5 s window.
    a.db_ok_ms.store(core::to_ms(core::now()), std::memory_order_relaxed);
    spdlog::info("ensemble: serving on http://{}:{} ({} I/O threads, database {})", cfg.listen_host(), server.port(), cfg.io_threads,
                 cfg.database.starts_with("postgres") ? "postgresql" : cfg.database);

    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    std::thread stopper;
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("ensemble: signal {} received; finishing requests in flight", sig);
        stopper = std::thread([&] {
            a.live->stop();
            server.shutdown(std::chrono::seconds(10));
            services.stop();
            delivery.stop();
            for (auto& c : contexts) c->stop();
        });
    });
    std::vector<std::thread> threads;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_running;
    for (int i = 1; i < cfg.io_threads; ++i) {
        keep_running.push_back(boost::asio::make_work_guard(*contexts[i]));
        threads.emplace_back([c = contexts[i].get()] {
            core::name_this_thread("ens-io");
            c->run();
        });
    }
    ioc.run();
    for (auto& t : threads) t.join();
    if (stopper.joinable()) stopper.join();
    a.store->stop();
    if (a.access) a.access->flush();
    spdlog::info("ensemble: stopped");
    return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& args) {
    try {
        auto p = parse(args);
        if (p.words.empty() || has_flag(p, "--help")) {
            std::cout << usage;
            return p.words.empty() && !has_flag(p, "--help") ? 2 : 0;
        }
        if (p.words[0] == "serve") return cmd_serve(p);
        if (p.words[0] == "migrate") return cmd_migrate(p);
        if (p.words[0] == "user" && p.words.size() >= 2 && p.words[1] == "add") return cmd_user_add(p);
        std::cerr << "unknown command: " << p.words[0] << "\n" << usage;
        return 2;
    } catch (const config_error& e) {
        std::cerr << "ensemble: configuration: " << e.what() << "\n";
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "ensemble: " << e.what() << "\n" << usage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "ensemble: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace ensemble::server
