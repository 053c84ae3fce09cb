"""REFI-QDA codebooks (``.qdc``, QDA-XML 1.0): the exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder.

REFI-QDA has one ``Description`` per code, so the definition, the criteria and the examples are written
into it under headings that reading splits again. Variables travel as ``Set`` elements marked as ours;
other programs see an ordinary set. Shortcuts and retired codes have no place in the format and are left
out. The ``origin`` attribute cites the codebook name and version.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from archive.coding.codebook_io import CodebookSpec, CodeSpec
from archive.coding.errors import CodingError

NAMESPACE = "urn:QDA-XML:codebook:1.0"
_NS = f"{{{NAMESPACE}}}"
_SET_MARK = "Threadcoder variable: its member codes are mutually exclusive values."
_SECTIONS = {"Inclusion criteria": "inclusion", "Exclusion criteria": "exclusion", "Examples": "examples"}
_SECTION = re.compile(r"\n\n(Inclusion criteria|Exclusion criteria|Examples):[ \n]")
# Set guids are derived from the variable's guid, so exporting twice writes the same file.
_SET_NAMESPACE = uuid.UUID("6f1d3a2e-52c4-4c1e-9a57-3b9c0b1f7e21")


def write_qdc(spec: CodebookSpec, path: Path) -> None:
    """Write the codes in use (retired ones left out) as a REFI-QDA codebook."""
    codes = [c for c in spec.codes if not c.retired]
    if not codes:
        raise CodingError("the codebook has no codes in use; a .qdc file needs at least one")
    guids = {c.name: _guid(c) for c in codes}
    root = ET.Element("CodeBook", {"xmlns": NAMESPACE, "origin": _origin(spec)})
    elements: dict[str | None, ET.Element] = {None: ET.SubElement(root, "Codes")}
    for code in codes:
        attributes = {"guid": guids[code.name], "name": code.name, "isCodable": _bool(code.codable)}
        if code.color:
            attributes["color"] = code.color
        element = ET.SubElement(elements[code.parent if code.parent in elements else None], "Code", attributes)
        description = _description(code)
        if description:
            ET.SubElement(element, "Description").text = description
        elements[code.name] = element
    _write_sets(root, codes, guids)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _write_sets(root: ET.Element, codes: list[CodeSpec], guids: dict[str, str]) -> None:
    variables = [c for c in codes if c.exclusive and any(v.parent == c.name for v in codes)]
    if not variables:
        return
    sets = ET.SubElement(root, "Sets")
    for variable in variables:
        set_guid = str(uuid.uuid5(_SET_NAMESPACE, guids[variable.name]))
        element = ET.SubElement(sets, "Set", {"guid": set_guid, "name": variable.name})
        ET.SubElement(element, "Description").text = _SET_MARK
        for value in (c for c in codes if c.parent == variable.name):
            ET.SubElement(element, "MemberCode", {"guid": guids[value.name]})


def _origin(spec: CodebookSpec) -> str:
    try:
        app = f"Threadcoder {version('threadcoder')}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        app = "Threadcoder"
    return f"{app}; codebook '{spec.name}', version {spec.version}"


def _guid(code: CodeSpec) -> str:
    try:
        return str(uuid.UUID((code.guid or "").strip("{} ")))
    except ValueError:
        return str(uuid.uuid4())


def _bool(flag: bool) -> str:
    return "true" if flag else "false"


def _description(code: CodeSpec) -> str:
    parts = [code.description.strip()]
    if code.inclusion:
        parts.append(f"Inclusion criteria: {code.inclusion.strip()}")
    if code.exclusion:
        parts.append(f"Exclusion criteria: {code.exclusion.strip()}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {e}" for e in code.examples))
    return "\n\n".join(p for p in parts if p)


def read_qdc(path: Path) -> CodebookSpec:
    """Read a REFI-QDA codebook; duplicate names (allowed there, not here) get their parent's name added."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise CodingError(f"{path.name}: not valid XML ({error})") from error
    if root.tag != f"{_NS}CodeBook" or root.find(f"{_NS}Codes") is None:
        raise CodingError(f"{path.name}: expected a REFI-QDA CodeBook with Codes ({NAMESPACE})")
    spec = CodebookSpec(name=path.stem)
    by_guid: dict[str, CodeSpec] = {}
    codes = root.find(f"{_NS}Codes")
    assert codes is not None
    for element in codes.findall(f"{_NS}Code"):
        _read_code(element, None, spec, by_guid)
    _read_sets(root, spec, by_guid)
    return spec


def _read_code(element: ET.Element, parent: str | None, spec: CodebookSpec, by_guid: dict[str, CodeSpec]) -> None:
    name = " ".join((element.get("name") or "").split()) or "Unnamed code"
    taken = {c.name.lower() for c in spec.codes}
    if name.lower() in taken:
        unique = f"{name} ({parent})" if parent else f"{name} (2)"
        spec.notes.append(f"'{name}' appears more than once; this one is imported as '{unique}'")
        name = unique
    code = CodeSpec(
        name=name,
        parent=parent,
        codable=(element.get("isCodable", "true").strip() in ("true", "1")),
        color=element.get("color"),
        guid=element.get("guid"),
    )
    _split_description(element.findtext(f"{_NS}Description") or "", code)
    spec.codes.append(code)
    by_guid[(code.guid or "").strip("{} ").lower()] = code
    for child in element.findall(f"{_NS}Code"):
        _read_code(child, name, spec, by_guid)


def _split_description(text: str, code: CodeSpec) -> None:
    """Split our headings back into definition, criteria and examples; other text stays the definition."""
    pieces = _SECTION.split(text.strip())
    code.description = pieces[0].strip()
    for heading, body in zip(pieces[1::2], pieces[2::2], strict=True):
        field = _SECTIONS[heading]
        if field == "examples":
            code.examples = tuple(line.strip().removeprefix("-").strip() for line in body.splitlines() if line.strip())
        else:
            setattr(code, field, body.strip())


def _read_sets(root: ET.Element, spec: CodebookSpec, by_guid: dict[str, CodeSpec]) -> None:
    for element in root.iterfind(f"{_NS}Sets/{_NS}Set"):
        members = [by_guid.get((m.get("guid") or "").strip("{} ").lower()) for m in element.iter(f"{_NS}MemberCode")]
        parents = {m.parent for m in members if m is not None}
        ours = (element.findtext(f"{_NS}Description") or "").strip() == _SET_MARK
        variable = next((c for c in spec.codes if c.name == element.get("name")), None)
        if ours and variable is not None and parents == {variable.name}:
            variable.exclusive, variable.codable = True, False
        else:
            spec.notes.append(f"the set '{element.get('name')}' is not a Threadcoder variable and was not imported")
