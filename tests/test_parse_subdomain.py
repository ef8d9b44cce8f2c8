"""Requested subdomains: cleaning, RFC 1123 checks with Indonesian problems, finding in text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.ocr_fixes import normalize_hosts
from pipeline.extract.subdomain import SubdomainResult, find_subdomains, normalize_subdomain

SUFFIX = ".bantenprov.go.id"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("simpeg", "simpeg.bantenprov.go.id"),
        ("e-arsip", "e-arsip.bantenprov.go.id"),
        ("SIMPEG", "simpeg.bantenprov.go.id"),
        ("simpeg.bantenprov.go.id", "simpeg.bantenprov.go.id"),
        ("simpeg .bantenprov.go.id", "simpeg.bantenprov.go.id"),
        ("simpeg. bantenprov .go.id", "simpeg.bantenprov.go.id"),
        ("tracing- satpolpp", "tracing-satpolpp.bantenprov.go.id"),
        ("tracing -satpolpp.bantenprov.go.id", "tracing-satpolpp.bantenprov.go.id"),
        ("https://simpeg.bantenprov.go.id/", "simpeg.bantenprov.go.id"),
        ("http://E-Arsip.Bantenprov.go.id/login?x=1", "e-arsip.bantenprov.go.id"),
        ("simpeg.bantenprov.go.id.", "simpeg.bantenprov.go.id"),
        ("sdm.dinkes.bantenprov.go.id", "sdm.dinkes.bantenprov.go.id"),
        ("____simpeg", "simpeg.bantenprov.go.id"),
        ("…e-arsip", "e-arsip.bantenprov.go.id"),
        ("_____.bantenprov.go.id", None),
        ("  sikesehatan-distan.bantenprov.go.id  ", "sikesehatan-distan.bantenprov.go.id"),
        ("e-planning2", "e-planning2.bantenprov.go.id"),
        ("123abc", "123abc.bantenprov.go.id"),
    ],
)
def test_normalize_subdomain(raw: str, value: str | None) -> None:
    result = normalize_subdomain(raw)
    assert result.value == value
    assert bool(result.problems) == (value is None)


def test_underscore_message_for_the_clerk() -> None:
    assert normalize_subdomain("sim_peg") == SubdomainResult(
        None,
        (
            "Subdomain 'sim_peg' tidak sah: garis bawah (_) tidak boleh dipakai; "
            "gunakan huruf, angka, atau tanda hubung (-).",
        ),
    )


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("sim_peg.bantenprov.go.id", "garis bawah (_)"),
        ("a" * 64, "lebih dari 63 karakter"),
        ("123", "hanya berisi angka"),
        ("-simpeg", "diawali atau diakhiri tanda hubung"),
        ("simpeg-", "diawali atau diakhiri tanda hubung"),
        ("sim peg", "spasi"),
        ("simpég", "karakter é"),
        ("sim@peg", "karakter @"),
        ("si..mpeg.bantenprov.go.id", "bagian kosong"),
        ("simpeg.example.com", "di bawah bantenprov.go.id"),
        ("simpeg.go.id", "di bawah bantenprov.go.id"),
        ("bantenprov.go.id", "belum diisi"),
        ("https://bantenprov.go.id/", "belum diisi"),
        ("", "kosong"),
        ("   ", "kosong"),
        ("____", "kosong"),
        (".".join(["a" * 63] * 4) + SUFFIX, "253 karakter"),
    ],
)
def test_invalid_subdomains_explain_why(raw: str, words: str) -> None:
    result = normalize_subdomain(raw)
    assert result.value is None
    assert result.problems
    assert any(words in problem for problem in result.problems), result.problems
    assert all(problem.startswith("Subdomain") for problem in result.problems)


@pytest.mark.parametrize(
    ("text", "hosts"),
    [
        (
            "mohon dibuatkan subdomain https://SIMPEG.bantenprov.go.id/ untuk aplikasi",
            ["simpeg.bantenprov.go.id"],
        ),
        (
            "subdomain siskeudes-\ndisketapang.bantenprov.go.id",
            ["siskeudes-disketapang.bantenprov.go.id"],
        ),
        (
            "subdomain siskeudes- disketapang.bantenprov.go.id.",
            ["siskeudes-disketapang.bantenprov.go.id"],
        ),
        ("email budi@dinkes.bantenprov.go.id", []),
        ("email budi @ dinkes.bantenprov.go.id", []),
        ("mailto:budi@dinkes.bantenprov.go.id", []),
        ("portal bantenprov.go.id dan www.bantenprov.go.id", []),
        ("sdm.dinkes.bantenprov.go.id", ["sdm.dinkes.bantenprov.go.id"]),
        ("a.bantenprov.go.id.example.com", []),
        ("sim_peg.bantenprov.go.id", []),
        ("_____.bantenprov.go.id", []),
        (
            "lapor.bantenprov.go.id, e-arsip.bantenprov.go.id dan lapor.bantenprov.go.id lagi",
            ["lapor.bantenprov.go.id", "e-arsip.bantenprov.go.id"],
        ),
        ("", []),
    ],
)
def test_find_subdomains(text: str, hosts: list[str]) -> None:
    assert find_subdomains(text) == hosts


# ---------------------------------------------------------------------- properties

valid_labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", fullmatch=True).filter(
    lambda label: not label.isdigit()
)


def _case(draw: st.DrawFn, label: str) -> str:
    return "".join(ch.upper() if draw(st.booleans()) else ch for ch in label)


@st.composite
def written_subdomains(draw: st.DrawFn) -> tuple[str, str]:
    labels = draw(st.lists(valid_labels, min_size=1, max_size=3))
    fqdn = ".".join(labels) + SUFFIX
    bare = len(labels) == 1 and draw(st.booleans())
    written = _case(draw, labels[0] if bare else fqdn)
    scheme = draw(st.sampled_from(["", "http://", "https://", "HTTPS://"]))
    path = draw(st.sampled_from(["", "/", "/login", "/api/v1/"]))
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return fqdn, f"{pad}{scheme}{written}{path}{pad}"


@settings(max_examples=200)
@given(written_subdomains())
def test_valid_names_are_accepted_and_lowercased(case: tuple[str, str]) -> None:
    fqdn, written = case
    assert normalize_subdomain(written) == SubdomainResult(fqdn)


def _break_label(data: st.DataObject, label: str) -> str:
    draw = data.draw
    kind = draw(st.sampled_from(["underscore", "too-long", "digits", "lead-hyphen", "tail-hyphen"]))
    if kind == "underscore":
        cut = draw(st.integers(1, len(label)))
        return label[:cut] + "_" + label[cut:]
    if kind == "too-long":
        return (label * 64)[:64] + draw(st.text("abc", max_size=5))
    if kind == "digits":
        return draw(st.from_regex(r"[0-9]{1,10}", fullmatch=True))
    if kind == "lead-hyphen":
        return "-" + label
    return label + "-"


@settings(max_examples=200)
@given(st.data(), valid_labels, st.booleans())
def test_invalid_labels_are_rejected_with_a_problem(
    data: st.DataObject, label: str, full: bool
) -> None:
    broken = _break_label(data, label)
    result = normalize_subdomain(broken + SUFFIX if full else broken)
    assert result.value is None
    assert result.problems
    assert all("tidak sah" in problem for problem in result.problems)


@settings(max_examples=200)
@given(st.lists(valid_labels, min_size=1, max_size=2), st.booleans(), st.sampled_from(["\n", " "]))
def test_find_subdomains_joins_hyphen_line_breaks(
    labels: list[str], with_url: bool, wrap: str
) -> None:
    first = labels[0]
    host = ".".join(labels) + SUFFIX
    if "-" in first:
        cut = first.index("-") + 1
        written = first[:cut] + wrap + first[cut:] + host[len(first) :]
    else:
        written = host
    if with_url:
        written = f"https://{written}/"
    text = f"Mohon dibuatkan subdomain {written} untuk aplikasi kami."
    expected = [] if host == "www" + SUFFIX else [host]
    assert find_subdomains(text) == expected


@settings(max_examples=200)
@given(valid_labels, st.sampled_from(["budi", "budi.santoso", "tgk..setwan"]))
def test_email_domains_are_not_subdomains(label: str, local: str) -> None:
    assert find_subdomains(f"Email: {local}@{label}{SUFFIX}") == []


@settings(max_examples=200)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    result = normalize_subdomain(text)
    assert (result.value is None) == bool(result.problems)
    if result.value is not None:
        assert result.value.endswith(SUFFIX)
        assert result.value == result.value.lower()
    for host in find_subdomains(text):
        assert host.endswith(SUFFIX)


@pytest.mark.parametrize(
    "read",
    [
        "sipintar.bantenprov.go. id",
        "sipintar.bantenproy.oo.id",
        "sipintar.bantenprov. 90. id",  # 'go' read as 90
        "sipintar.bantenprov.ao.id",
    ],
)
def test_the_provinces_domain_as_ocr_writes_it_is_put_back(read: str) -> None:
    assert normalize_hosts(f"Alamat subdomain : {read}") == (
        "Alamat subdomain : sipintar.bantenprov.go.id"
    )
