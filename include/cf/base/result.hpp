// Result<T>: a value or an Error, the project's way of returning failure (errors are values).
//
// The API is a subset of C++23 std::expected (has_value, operator bool, value, error, *, ->,
// value_or, and_then, transform) so that a later move to std::expected stays mechanical.
// Deliberate divergence from the style brief: the error side is cf::Error, an error_code plus
// a human-readable detail, because a bad template or a corrupt file must be reported with the
// input and the key that were wrong, and an error_code alone cannot carry that.
#pragma once

#include <cstdlib>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace cf {

// A failure: what kind (code, for branching) and what exactly (detail, for people).
class Error {
 public:
  Error() = default;
  Error(std::error_code code, std::string detail = {}) : code_(code), detail_(std::move(detail)) {}
  template <typename E>
    requires std::is_error_code_enum_v<E>
  Error(E e, std::string detail = {}) : Error(make_error_code(e), std::move(detail)) {}

  const std::error_code& code() const { return code_; }
  const std::string& detail() const { return detail_; }

  // "detail" when there is one, else the category's message for the code.
  std::string message() const { return detail_.empty() ? code_.message() : detail_; }

  // Adds context in front of the detail: "reading x: <old detail>".
  Error& wrap(const std::string& context) {
    detail_ = context + ": " + message();
    return *this;
  }

  friend bool operator==(const Error& a, const Error& b) { return a.code_ == b.code_; }
  template <typename E>
    requires std::is_error_code_enum_v<E>
  friend bool operator==(const Error& a, E e) {
    return a.code_ == make_error_code(e);
  }

 private:
  std::error_code code_;
  std::string detail_;
};

// Lets a `return Error{...}` or `return unexpected(...)` read the same in every function.
struct Unexpected {
  Error error;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}
  Result(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}
  template <typename E>
    requires std::is_error_code_enum_v<E>
  Result(E e) : Result(Error(e)) {}
  template <typename U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> && !std::is_error_code_enum_v<std::decay_t<U>>)
  Result(U&& value) : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return checked(); }
  const T& value() const& { return const_cast<Result*>(this)->checked(); }
  T&& value() && { return std::move(checked()); }
  T& operator*() & { return checked(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(checked()); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }
  Error& error() { return std::get<1>(state_); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : T(std::forward<U>(fallback));
  }

  template <typename F>
  auto and_then(F&& f) & -> std::invoke_result_t<F, T&> {
    if (has_value()) return std::forward<F>(f)(std::get<0>(state_));
    return error();
  }

  template <typename F>
  auto transform(F&& f) & -> Result<std::invoke_result_t<F, T&>> {
    if (has_value()) return std::forward<F>(f)(std::get<0>(state_));
    return error();
  }

 private:
  T& checked() {
    if (!has_value()) std::abort();  // a bug: the caller must test before reading the value
    return std::get<0>(state_);
  }

  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}
  template <typename E>
    requires std::is_error_code_enum_v<E>
  Result(E e) : Result(Error(e)) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {
    if (!ok_) std::abort();
  }
  const Error& error() const { return error_; }
  Error& error() { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok() { return {}; }

}  // namespace cf

// Early return of a failed Result from a function that returns a Result.
#define CF_TRY(expr)                                          \
  do {                                                        \
    if (auto cf_try_result_ = (expr); !cf_try_result_) {      \
      return ::cf::Unexpected{std::move(cf_try_result_.error())}; \
    }                                                         \
  } while (0)

// Binds the value of a Result to `var`, or returns its error.
#define CF_TRY_ASSIGN(var, expr)                                  \
  auto var##_result_ = (expr);                                    \
  if (!var##_result_) {                                           \
    return ::cf::Unexpected{std::move(var##_result_.error())};    \
  }                                                               \
  auto var = std::move(*var##_result_)

// The same two, for coroutines (which must co_return).
#define CF_CO_TRY(expr)                                              \
  do {                                                               \
    if (auto cf_try_result_ = (expr); !cf_try_result_) {             \
      co_return ::cf::Unexpected{std::move(cf_try_result_.error())}; \
    }                                                                \
  } while (0)

#define CF_CO_TRY_ASSIGN(var, expr)                                \
  auto var##_result_ = (expr);                                     \
  if (!var##_result_) {                                            \
    co_return ::cf::Unexpected{std::move(var##_result_.error())};  \
  }                                                                \
  auto var = std::move(*var##_result_)
