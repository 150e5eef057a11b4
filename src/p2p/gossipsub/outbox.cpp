// Per-peer output queue and RPC splitting (see outbox.hpp).
#include "cf/p2p/gossipsub/outbox.hpp"

#include <algorithm>
#include <utility>

#include "cf/base/protowire.hpp"

namespace cf::p2p::gossipsub {
namespace {

// Fills RPCs one part at a time, starting a new RPC when the next part would not fit.
class RpcSplitter {
 public:
  explicit RpcSplitter(std::size_t max_size) : max_size_(max_size) {}

  template <typename T>
  void add_control(std::vector<T> ControlMessage::*list, T entry) {
    if (place(encoded_size(entry), true)) (current_.control.*list).push_back(std::move(entry));
  }
  void add_subscription(SubOpts sub) {
    if (place(encoded_size(sub), false)) current_.subscriptions.push_back(std::move(sub));
  }
  void add_message(SharedBytes raw) {
    if (place(field_size(raw->size()), false)) messages_.push_back(std::move(raw));
  }

  std::vector<Bytes> finish(std::size_t& dropped) {
    flush();
    dropped += dropped_;
    return std::move(out_);
  }

 private:
  std::size_t size_with(std::size_t size, bool control) const {
    const std::size_t control_size = control_ + (control ? size : 0);
    return top_ + (control ? 0 : size) + (control_size > 0 ? field_size(control_size) : 0);
  }

  // Makes room for a part of `size` bytes; false (counted) when it fits no RPC at all.
  bool place(std::size_t size, bool control) {
    if (size_with(size, control) > max_size_ && (top_ > 0 || control_ > 0)) flush();
    if (size_with(size, control) > max_size_) {
      ++dropped_;
      return false;
    }
    (control ? control_ : top_) += size;
    return true;
  }

  void flush() {
    if (top_ == 0 && control_ == 0) return;
    Bytes rpc = encode_rpc(current_);
    for (const auto& raw : messages_) protowire::append_bytes_field(rpc, 2, *raw);
    out_.push_back(std::move(rpc));
    current_ = Rpc{};
    messages_.clear();
    top_ = control_ = 0;
  }

  std::size_t max_size_;
  Rpc current_;
  std::vector<SharedBytes> messages_;
  std::size_t top_ = 0;      // subscriptions and messages
  std::size_t control_ = 0;  // control entries, before the control field's own header
  std::size_t dropped_ = 0;
  std::vector<Bytes> out_;
};

}  // namespace

bool Outbox::reserve(std::size_t size, bool bounded) {
  if (bounded && queued_bytes_ + size > max_bytes_) return false;
  queued_bytes_ += size;
  return true;
}

void Outbox::remove_graft(const std::string& topic) {
  std::erase_if(grafts_, [&](const ControlGraft& g) {
    if (g.topic != topic) return false;
    queued_bytes_ -= encoded_size(g);
    return true;
  });
}

void Outbox::remove_prune(const std::string& topic) {
  std::erase_if(prunes_, [&](const ControlPrune& p) {
    if (p.topic != topic) return false;
    queued_bytes_ -= encoded_size(p);
    return true;
  });
}

void Outbox::add_subscription(SubOpts sub) {
  std::erase_if(subscriptions_, [&](const SubOpts& s) {
    if (s.topic != sub.topic) return false;
    queued_bytes_ -= encoded_size(s);
    return true;
  });
  (void)reserve(encoded_size(sub), false);
  subscriptions_.push_back(std::move(sub));
}

void Outbox::add_graft(ControlGraft graft) {
  remove_graft(graft.topic);
  remove_prune(graft.topic);
  (void)reserve(encoded_size(graft), false);
  grafts_.push_back(std::move(graft));
}

bool Outbox::add_prune(ControlPrune prune, bool bounded) {
  remove_graft(prune.topic);
  remove_prune(prune.topic);
  if (!reserve(encoded_size(prune), bounded)) return false;
  prunes_.push_back(std::move(prune));
  return true;
}

bool Outbox::add_message(SharedBytes raw) {
  if (!reserve(field_size(raw->size()), true)) return false;
  messages_.push_back(std::move(raw));
  return true;
}

bool Outbox::add_ihave(ControlIHave ihave) {
  if (!reserve(encoded_size(ihave), true)) return false;
  ihave_.push_back(std::move(ihave));
  return true;
}

bool Outbox::add_iwant(ControlIWant iwant) {
  if (!reserve(encoded_size(iwant), true)) return false;
  iwant_.push_back(std::move(iwant));
  return true;
}

bool Outbox::add_idontwant(ControlIDontWant idontwant) {
  if (!reserve(encoded_size(idontwant), true)) return false;
  idontwant_.push_back(std::move(idontwant));
  return true;
}

std::vector<Bytes> Outbox::take(std::size_t max_size, std::size_t& dropped) {
  RpcSplitter splitter(max_size);
  for (auto& s : subscriptions_) splitter.add_subscription(std::move(s));
  for (auto& e : grafts_) splitter.add_control(&ControlMessage::graft, std::move(e));
  for (auto& e : prunes_) splitter.add_control(&ControlMessage::prune, std::move(e));
  for (auto& e : ihave_) splitter.add_control(&ControlMessage::ihave, std::move(e));
  for (auto& e : iwant_) splitter.add_control(&ControlMessage::iwant, std::move(e));
  for (auto& e : idontwant_) splitter.add_control(&ControlMessage::idontwant, std::move(e));
  for (auto& m : messages_) splitter.add_message(std::move(m));
  *this = Outbox(max_bytes_);
  return splitter.finish(dropped);
}

}  // namespace cf::p2p::gossipsub
