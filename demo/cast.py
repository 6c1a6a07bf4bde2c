"""The people of a demo session: who can type, in which language, with which role."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from fake_telegram import FakeUser

# Ids far from the tests' cast, so a transcript never reads like a test fixture.
MODERATOR_ID = 7_000_001
_FIRST_GUEST_ID = 7_000_100


@dataclass(slots=True)
class Person:
    """One Telegram user of the demo; `name` is what `/as` and the prompt call them."""

    name: str
    user: FakeUser
    role: str = ""

    @property
    def language(self) -> str:
        return self.user.language_code or "es"

    def speaking(self, language: str) -> None:
        """Their Telegram app's language (the bot may still remember an earlier choice)."""
        self.user = replace(self.user, language_code=language)


@dataclass(slots=True)
class Cast:
    """Everyone known so far; `/as NAME` with a new name brings a new person in."""

    people: dict[str, Person] = field(default_factory=dict)
    _next_id: int = _FIRST_GUEST_ID

    @classmethod
    def default(cls) -> Cast:
        cast = cls()
        cast.add("family", "Ana", "es")
        cast.add("family2", "John", "en")
        cast.add("moderator", "Marta", "es", role="admin", user_id=MODERATOR_ID)
        cast.add("subscriber", "Luis", "es")
        return cast

    def add(
        self,
        name: str,
        first_name: str,
        language: str,
        *,
        role: str = "",
        user_id: int | None = None,
    ) -> Person:
        if user_id is None:
            user_id = self._next_id
            self._next_id += 1
        person = Person(name, FakeUser(id=user_id, first_name=first_name, language_code=language))
        person.role = role
        self.people[name] = person
        return person

    def get(self, name: str) -> Person | None:
        return self.people.get(name)

    def by_chat(self, chat_id: int) -> Person | None:
        for person in self.people.values():
            if person.user.id == chat_id:
                return person
        return None

    @property
    def admin_ids(self) -> tuple[int, ...]:
        return tuple(person.user.id for person in self.people.values() if person.role == "admin")
