// Internal: content identity. XXH3-128 (libxxhash) identifies a batch's bytes and a rule
// set's files: fast enough to hash a gigabyte in a fraction of a second, and 128 bits make
// an accidental collision between survey files negligible. Not a defence against forgery.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace baro {

class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  void update(std::string_view bytes);
  // 32 lowercase hex digits (XXH128's canonical big-endian form).
  std::string hex_digest() const;

 private:
  void* state_;
};

}  // namespace baro
