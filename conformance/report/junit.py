"""JUnit XML: one testsuite per vendor and layer, one testcase per spec operation or scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from conformance.events import Event, Layer, Result, RunFinished, Status


def document(results: tuple[Result, ...], seconds: float) -> ElementTree.ElementTree:
    root = ElementTree.Element("testsuites", name="cancel-contracts", time=f"{seconds:.3f}")
    groups: dict[tuple[str, Layer], list[Result]] = {}
    for result in results:
        groups.setdefault((result.vendor, result.layer), []).append(result)
    for (vendor, layer), members in groups.items():
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=f"{vendor}.{layer.value}",
            tests=str(len(members)),
            failures=str(sum(r.status is Status.FAILED for r in members)),
            skipped=str(sum(r.status is Status.SKIPPED for r in members)),
            errors="0",
        )
        for result in members:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=f"{vendor}.{layer.value}",
                name=result.name,
                time=f"{result.seconds:.3f}",
            )
            if result.status is Status.FAILED:
                first = result.problems[0] if result.problems else None
                failure = ElementTree.SubElement(
                    case,
                    "failure",
                    message=(f"{first.check}: {first.message}" if first else "failed").split("\n", 1)[0],
                )
                failure.text = "\n\n".join(
                    f"{p.check}: {p.message}" + (f"\nreproduce: {p.curl}" if p.curl else "")
                    for p in result.problems
                )
            elif result.status is Status.SKIPPED:
                ElementTree.SubElement(case, "skipped", message=result.reason)
    ElementTree.indent(root)
    return ElementTree.ElementTree(root)


@dataclass
class JUnit:
    path: Path
    written: bool = field(default=False)

    def handle(self, event: Event) -> None:
        if isinstance(event, RunFinished):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            document(event.results, event.seconds).write(self.path, encoding="utf-8", xml_declaration=True)
            self.written = True
