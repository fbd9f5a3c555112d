// Email providers behind one interface: file (.eml), SMTP, SendGrid and Postmark.
#pragma once

#include "integrations/delivery/outcome.hpp"
#include "integrations/mail/mime.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace ensemble::integrations {

struct mail_settings {
    std::string provider = "file";  // file | smtp | sendgrid | postmark
    std::string mail_dir = "data/mail";
    std::string smtp_url;           // smtp://host:port[/?tls=off] or smtps://host:port
    std::string smtp_user;
    std::string smtp_password;
    std::string sendgrid_api_key;
    std::string sendgrid_url = "https://api.sendgrid.com";
    std::string postmark_token;
    std::string postmark_url = "https://api.postmarkapp.com";
    std::chrono::seconds timeout{20};
};

class mail_sender {
public:
    virtual ~mail_sender() = default;
    // Sends one message; safe to call from several threads at once. Never throws for a provider's
    // refusal or a network failure: those are outcomes.
    virtual delivery_outcome send(const email_message& m) = 0;
    virtual const char* name() const noexcept = 0;
};

// The provider the settings name. Throws std::invalid_argument for an unknown provider.
std::unique_ptr<mail_sender> make_mail_sender(const mail_settings& s);

// How an smtp:// URL is secured. smtps:// is TLS from the first byte. smtp:// requires STARTTLS
// (the send fails when the server does not offer it), except towards a loopback address
// (127.0.0.0/8, ::1, localhost: local test and relay servers) or when the URL ends in `?tls=off`,
// where STARTTLS is used when offered and plain text otherwise. Certificates are always verified.
enum class smtp_tls { implicit, required, optional };
struct smtp_target {
    std::string url;  // as given to libcurl (without our ?tls= option)
    smtp_tls tls = smtp_tls::required;
};
smtp_target smtp_target_of(const std::string& url);

// The SendGrid v3 and Postmark JSON bodies of a message (exposed for tests).
std::string sendgrid_body(const email_message& m);
std::string postmark_body(const email_message& m);

}  // namespace ensemble::integrations
