"""Injected failures: the next matching calls answer with an error instead of a result."""

from __future__ import annotations

from fake_telegram.records import ApiError, Call, FailureRule, Outcome, normalize_chat_id

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class Failures:
    """The pending rules, consumed in the order they were added."""

    __slots__ = ("_rules",)

    def __init__(self) -> None:
        self._rules: list[FailureRule] = []

    def __bool__(self) -> bool:
        return bool(self._rules)

    def add(
        self,
        method: str,
        *,
        error_code: int,
        description: str | None,
        retry_after: int | None,
        times: int,
        chat_id: int | str | None,
        network: str | None,
    ) -> None:
        """A rule for `times` calls; 429 gets retry_after 1 s unless told otherwise."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            template = _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
            description = template.format(retry_after=retry_after)
        self._rules.append(
            FailureRule(
                method,
                error_code,
                description,
                retry_after,
                times,
                normalize_chat_id(chat_id),
                network,
            )
        )

    def take(self, call: Call) -> Outcome | None:
        """The injected answer for this call, if a rule matches (using up one of its times)."""
        chat_id = call.chat_id
        for rule in self._rules:
            if rule.matches(call.method, chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                parameters = {"retry_after": rule.retry_after} if rule.retry_after else None
                error = ApiError(rule.error_code, rule.description, parameters)
                return Outcome(rule.error_code, error.body(), rule.network)
        return None

    def clear(self) -> None:
        """Drop every pending rule."""
        self._rules.clear()
