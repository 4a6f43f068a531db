"""site.toml: unknown keys, wrong types, bad values and broken TOML, each with its exact line."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import GroupingConfig, SiteConfig, load_config, parse_config
from digest.errors import ProblemsError
from tests.conftest import article, run_digest, write_site

KNOWN = "base_url, cname, description, language, per_page, timezone, title"
TZ_HINT = "(hint: use an IANA name such as UTC or Europe/Paris)"
BASE_EXPECTED = "expected an http(s) URL such as https://user.github.io/repo/"

# (case name, site.toml text, the exact messages, in order)
INVALID = [
    (
        "unknown-top-level-key",
        'title = "T"\ntitel = "x"\n',
        [f"site.toml:2: unknown key 'titel' (hint: known keys: {KNOWN})"],
    ),
    (
        "unknown-key-in-table",
        "[grouping]\nwindow_days = 2\nwindow = 4\n",
        ["site.toml:3: unknown key 'grouping.window' (hint: known keys: enabled, window_days)"],
    ),
    (
        "unknown-sub-table",
        'title = "T"\n\n[grouping.extra]\nx = 1\n',
        ["site.toml:3: unknown key 'grouping.extra' (hint: known keys: enabled, window_days)"],
    ),
    (
        "wrong-types-all-reported",
        'title = 5\nper_page = "3"\ndescription = 3.5\nlanguage = ["en"]\n',
        [
            "site.toml:1: 'title' must be a string, got 5",
            "site.toml:2: 'per_page' must be an integer, got '3'",
            "site.toml:3: 'description' must be a string, got 3.5",
            "site.toml:4: 'language' must be a string, got ['en']",
        ],
    ),
    (
        "bool-is-not-an-integer",
        "per_page = true\n",
        ["site.toml:1: 'per_page' must be an integer, got True"],
    ),
    (
        "wrong-types-in-table",
        '[grouping]\nwindow_days = "3"\nenabled = "yes"\n',
        [
            "site.toml:2: 'grouping.window_days' must be an integer, got '3'",
            "site.toml:3: 'grouping.enabled' must be true or false, got 'yes'",
        ],
    ),
    (
        "table-given-a-value",
        "grouping = 3\n",
        ["site.toml:1: 'grouping' must be a table [grouping]"],
    ),
    (
        "array-of-tables",
        'title = "T"\n[[grouping]]\nwindow_days = 1\n',
        ["site.toml:2: 'grouping' must be a table [grouping]"],
    ),
    (
        "dotted-key-has-its-line",
        'title = "T"\ngrouping.window_days = "x"\n',
        ["site.toml:2: 'grouping.window_days' must be an integer, got 'x'"],
    ),
    (
        "inline-table-keys-take-the-table-line",
        'title = "T"\ngrouping = {window_days = -1, bar = 2}\n',
        [
            "site.toml:2: 'grouping.window_days' must be >= 0",
            "site.toml:2: unknown key 'grouping.bar' (hint: known keys: enabled, window_days)",
        ],
    ),
    (
        "quoted-key-has-its-line",
        'title = "T"\n"per_page" = "many"\n',
        ["site.toml:2: 'per_page' must be an integer, got 'many'"],
    ),
    (
        "base-url-javascript",
        'base_url = "javascript:alert(1)"\n',
        [f"site.toml:1: 'base_url': {BASE_EXPECTED}, got 'javascript:alert(1)'"],
    ),
    (
        "base-url-without-scheme",
        'title = "T"\nbase_url = "//example.org/"\n',
        [f"site.toml:2: 'base_url': {BASE_EXPECTED}, got '//example.org/'"],
    ),
    (
        "base-url-without-host",
        'base_url = "https://"\n',
        [f"site.toml:1: 'base_url': {BASE_EXPECTED}, got 'https://'"],
    ),
    (
        "base-url-broken-host",
        'base_url = "https://[::1/"\n',
        [f"site.toml:1: 'base_url': {BASE_EXPECTED}, got 'https://[::1/'"],
    ),
    (
        "base-url-query",
        'base_url = "https://example.org/?a=1"\n',
        [
            "site.toml:1: 'base_url': a base URL has no query or fragment, got 'https://example.org/?a=1'"
        ],
    ),
    (
        "base-url-markup",
        'base_url = "https://example.org/<script>/"\n',
        [
            "site.toml:1: 'base_url': a URL has no spaces, quotes or angle brackets, "
            "got 'https://example.org/<script>/'"
        ],
    ),
    (
        "base-url-space",
        'base_url = "https://exa mple.org/"\n',
        [
            "site.toml:1: 'base_url': a URL has no spaces, quotes or angle brackets, "
            "got 'https://exa mple.org/'"
        ],
    ),
    (
        "timezone-unknown",
        'timezone = "Mars/Olympus"\n',
        [f"site.toml:1: 'timezone': unknown time zone 'Mars/Olympus' {TZ_HINT}"],
    ),
    (
        "timezone-path",
        'timezone = "../../etc/passwd"\n',
        [f"site.toml:1: 'timezone': unknown time zone '../../etc/passwd' {TZ_HINT}"],
    ),
    (
        "timezone-absolute-path",
        'timezone = "/etc/localtime"\n',
        [f"site.toml:1: 'timezone': unknown time zone '/etc/localtime' {TZ_HINT}"],
    ),
    (
        "timezone-empty",
        'timezone = ""\n',
        [f"site.toml:1: 'timezone': unknown time zone '' {TZ_HINT}"],
    ),
    (
        "timezone-nul",
        'timezone = "UTC\\u0000"\n',
        [f"site.toml:1: 'timezone': unknown time zone 'UTC\\x00' {TZ_HINT}"],
    ),
    (
        "language-not-a-tag",
        'title = "T"\nlanguage = "english"\n',
        [
            "site.toml:2: 'language': not a language tag: 'english' "
            "(hint: use a code such as en or fr)"
        ],
    ),
    (
        "per-page-zero",
        "per_page = 0\n",
        ["site.toml:1: 'per_page' must be at least 1"],
    ),
    (
        "cname-markup",
        'cname = "<script>x</script>"\n',
        [
            "site.toml:1: 'cname': not a domain name: '<script>x</script>' "
            "(hint: use a name such as news.example.org, without https://)"
        ],
    ),
    (
        "cname-url",
        'cname = "https://news.example.org/"\n',
        [
            "site.toml:1: 'cname': not a domain name: 'https://news.example.org/' "
            "(hint: use a name such as news.example.org, without https://)"
        ],
    ),
    (
        "invalid-toml-unclosed-string",
        'title = "T"\ndescription = "open\n',
        ["site.toml:2: invalid TOML: Illegal character '\\n' (at line 2, column 20)"],
    ),
    (
        "invalid-toml-duplicate-key",
        'title = "x"\ntitle = "y"\n',
        ["site.toml:2: invalid TOML: Cannot overwrite a value (at line 2, column 12)"],
    ),
    (
        "invalid-toml-control-character",
        'title = "T"\n\n\ndescription = "a\x07b"\n',
        ["site.toml:4: invalid TOML: Illegal character '\\x07' (at line 4, column 17)"],
    ),
    (
        "invalid-toml-bare-words",
        "title = T\n",
        ["site.toml:1: invalid TOML: Invalid value (at line 1, column 9)"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_site_toml_message(text: str, expected: list[str]) -> None:
    with pytest.raises(ProblemsError) as caught:
        parse_config(text, "site.toml")
    assert [str(p) for p in caught.value.problems] == expected


def test_every_problem_of_the_file_is_reported_at_once() -> None:
    text = 'titel = "x"\nper_page = "3"\ntimezone = "Nowhere"\n[grouping]\nwindow_days = -2\n'
    with pytest.raises(ProblemsError) as caught:
        parse_config(text, "site.toml")
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (1, "unknown key 'titel'"),
        (2, "'per_page' must be an integer, got '3'"),
        (3, "'timezone'"),
        (5, "'grouping.window_days' must be >= 0"),
    ]


def test_valid_settings_are_read_typed_and_normalised() -> None:
    config = parse_config(
        'title = "Desk"\nbase_url = "https://u.github.io/repo"\nlanguage = "pt-BR"\n'
        'timezone = "Asia/Damascus"\nper_page = 5\ncname = "news.example.org"\n'
        "[grouping]\nwindow_days = 0\nenabled = false\n",
        "site.toml",
    )
    assert config == SiteConfig(
        title="Desk",
        base_url="https://u.github.io/repo/",
        language="pt-BR",
        timezone="Asia/Damascus",
        per_page=5,
        cname="news.example.org",
        grouping=GroupingConfig(window_days=0, enabled=False),
    )
    assert parse_config("", "site.toml") == SiteConfig()


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_bytes(b'\xef\xbb\xbftitle = "T"\r\nper_page = 3\r\n')
    assert load_config(tmp_path) == SiteConfig(title="T", per_page=3)


def test_non_utf8_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_bytes(b'title = "T"\ndescription = "caf\xe9"\n')
    with pytest.raises(ProblemsError) as caught:
        load_config(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "site.toml:2: not valid UTF-8 (byte 0xe9) (hint: re-save the file as UTF-8)"
    ]


def test_a_folder_named_site_toml_is_not_a_site(tmp_path: Path) -> None:
    (tmp_path / "site.toml").mkdir()
    with pytest.raises(ProblemsError) as caught:
        load_config(tmp_path)
    assert "no site.toml here" in str(caught.value)


def test_bad_site_toml_through_the_command_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"content/a.md": article("A", "2019-08-27", "AFP")},
        config='title = "T"\nbase_url = "ftp://example.org"\ncolour = "red"\n[grouping]\n'
        'window_days = "three"\n',
    )
    done = run_digest("build", "--site", str(site))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"site.toml:2: 'base_url': {BASE_EXPECTED}, got 'ftp://example.org'",
        f"site.toml:3: unknown key 'colour' (hint: known keys: {KNOWN})",
        "site.toml:5: 'grouping.window_days' must be an integer, got 'three'",
        "error: 3 problems; nothing was written",
    ]
    assert not (site / "public").exists()


def test_invalid_toml_through_the_command(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {}, config='title = "T"\n[grouping\n')
    done = run_digest("build", "--site", str(site))
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("site.toml:2: invalid TOML: ")
    assert "Traceback" not in done.stderr
    assert not (site / "public").exists()
