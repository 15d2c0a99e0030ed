#!/usr/bin/env python3
"""The xlsx, dta and sav exporters, read back by readers that are not Baro's.

Classifies the first rows of the bundled sample into a fresh database with the real `baro`,
codes a small validation sample (so that the report has a `quality` section), writes the
report as JSON and the export in the format asked, reads the file back and compares its
figures with the JSON report's:
- xlsx: python3's zipfile and xml.etree (the standard library: an .xlsx is a zip of XML
  parts), which also check the sheet names, frozen header rows, filters, widths and percent
  formats;
- dta, sav: Debian's ReadStat tools (package readstat): `readstat` converts the file to CSV,
  `extract_metadata` gives the variable and value labels.

Usage: formats_test.py --format xlsx|dta|sav --baro BIN --template-db DB --sample CSV
                       --rules DIR --work DIR [--rows N]
"""
import argparse
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

failures = []


def check(condition, what):
    print(("ok      " if condition else "FAILED  ") + what)
    if not condition:
        failures.append(what)


def close(a, b):
    return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def baro(args, *rest):
    command = [args.baro, *rest, "--db", args.db]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def prepare(args):
    """A database with the first rows of the sample classified and 20 of them coded."""
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    args.db = os.path.join(args.work, "baro.db")
    shutil.copyfile(args.template_db, args.db)
    survey = os.path.join(args.work, "survey.csv")
    with open(args.sample, encoding="utf-8-sig", newline="") as source, \
            open(survey, "w", encoding="utf-8", newline="") as out:
        reader = csv.reader(source, delimiter=";")
        writer = csv.writer(out, delimiter=";")
        for i, row in enumerate(reader):
            if i > args.rows:
                break
            writer.writerow(row)
    baro(args, "classify", "--rules", args.rules, survey)
    sample = os.path.join(args.work, "echantillon.csv")
    baro(args, "sample", "--size", "20", "--seed", "1", "--out", sample)
    with open(sample, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header = rows[0]
    predicted, coded = header.index("domaine_predit"), header.index("codage")
    # The coder agrees with the classifier but on every fifth row: some errors to measure.
    domains = sorted({r[predicted] for r in rows[1:]} | {"aucun"})
    for i, r in enumerate(rows[1:]):
        r[coded] = r[predicted] if i % 5 else domains[(domains.index(r[predicted]) + 1) % len(domains)]
    with open(sample, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    baro(args, "validate", sample)
    return json.loads(baro(args, "report", "--format", "json"))


# ---- xlsx: a zip of XML parts ------------------------------------------------------------

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for c in letters:
        n = n * 26 + ord(c) - 64
    return n - 1


class Workbook:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        book = ET.fromstring(self.zip.read("xl/workbook.xml"))
        rels = ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        self.sheets = {}
        for s in book.findall("m:sheets/m:sheet", NS):
            self.sheets[s.get("name")] = "xl/" + targets[s.get(f"{{{NS['r']}}}id")]
        self.names = [s.get("name") for s in book.findall("m:sheets/m:sheet", NS)]
        self.strings = []
        if "xl/sharedStrings.xml" in self.zip.namelist():
            for si in ET.fromstring(self.zip.read("xl/sharedStrings.xml")).findall("m:si", NS):
                self.strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        styles = ET.fromstring(self.zip.read("xl/styles.xml"))
        formats = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.findall("m:numFmts/m:numFmt", NS)}
        self.cell_formats = [formats.get(int(xf.get("numFmtId", "0")), "General")
                             for xf in styles.findall("m:cellXfs/m:xf", NS)]

    def sheet(self, name):
        """(rows of values, formats of the cells, the sheet's XML root)"""
        root = ET.fromstring(self.zip.read(self.sheets[name]))
        rows, formats = [], []
        for row in root.findall("m:sheetData/m:row", NS):
            values, fmts = {}, {}
            for c in row.findall("m:c", NS):
                i = column_index(c.get("r"))
                v = c.find("m:v", NS)
                if c.get("t") == "s":
                    values[i] = self.strings[int(v.text)]
                elif c.get("t") == "inlineStr":
                    values[i] = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif v is not None:
                    values[i] = float(v.text)
                fmts[i] = self.cell_formats[int(c.get("s", "0"))]
            width = max(values) + 1 if values else 0
            rows.append([values.get(i) for i in range(width)])
            formats.append(fmts)
        return rows, formats, root


def records(rows):
    header = rows[0]
    return [dict(zip(header, r + [None] * (len(header) - len(r)))) for r in rows[1:]]


def check_layout(name, root, rows):
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    check(pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1",
          f"« {name} »: the header row is frozen")
    autofilter = root.find("m:autoFilter", NS)
    check(autofilter is not None and autofilter.get("ref", "").startswith("A1:"), f"« {name} »: an autofilter on the table")
    widths = [float(c.get("width")) for c in root.findall("m:cols/m:col", NS)]
    check(len(widths) > 0 and all(2 < w <= 62 for w in widths), f"« {name} »: every column has a width that fits")


def check_xlsx(args, report):
    path = os.path.join(args.work, "barometre.xlsx")
    baro(args, "export", "--to", "xlsx", "--out", path)
    book = Workbook(path)
    check(book.names == ["Initiatives", "Domaines", "Communes", "Tranches de population", "Départements", "Régions",
                         "Domaines par département", "Qualité"], f"the sheets, in order: {book.names}")

    rows, formats, root = book.sheet("Domaines")
    check_layout("Domaines", root, rows)
    domains = records(rows)
    check(len(domains) == len(report["domains"]), "« Domaines »: one row per domain of the report")
    for got, want in zip(domains, report["domains"]):
        key = want["label"]
        check(got["libellé"] == want["label"] and (got["domaine"] or None) == want["domain"], f"{key}: id and label")
        check(got["initiatives_domaine_principal"] == want["primary_count"] and
              close(got["part_domaine_principal"], want["primary_share"]) and
              got["initiatives_touchant_le_domaine"] == want["touching_count"] and
              close(got["part_touchant_le_domaine"], want["touching_share"]) and
              close(got["part_corrigée"], want["corrected_share"]), f"{key}: counts, shares and corrected share")
    share_column = rows[0].index("part_domaine_principal")
    check(all(f.get(share_column) == "0.0%" for f in formats[1:]), "« Domaines »: shares are numbers under a percent format")

    rows, _, root = book.sheet("Communes")
    check_layout("Communes", root, rows)
    communes = records(rows)
    check(len(communes) == len(report["commune_points"]) and all(
        got["code_commune"] == want["code"] and got["population"] == want["population"] and
        got["initiatives"] == want["initiatives"] and got["rurale"] == (1 if want["rural"] else 0)
        for got, want in zip(communes, report["commune_points"])), "« Communes »: the report's commune points")

    for sheet, groups in [("Tranches de population", report["breakdowns"]["population_bands"]),
                          ("Départements", report["breakdowns"]["departments"]),
                          ("Régions", report["breakdowns"]["regions"])]:
        rows, _, root = book.sheet(sheet)
        check_layout(sheet, root, rows)
        got = records(rows)
        ok = len(got) == len(groups)
        for g, want in zip(got, groups):
            ok = ok and g["libellé"] == want["label"] and g["communes"] == want["communes"] and \
                g["initiatives"] == want["initiatives"] and g["population"] == want["population"] and \
                (want["initiatives_per_10k_inhabitants"] is None or
                 close(g["initiatives_pour_10000_habitants"], want["initiatives_per_10k_inhabitants"])) and \
                (want["mean_residual"] is None or close(g["résidu_moyen"], want["mean_residual"]))
        check(ok, f"« {sheet} »: the report's groups, figure for figure")

    rows, _, root = book.sheet("Domaines par département")
    cells = records(rows)
    departments = report["breakdowns"]["departments"]
    check(len(cells) == len(departments) * len(report["domains"]) and sum(c["initiatives"] for c in cells) ==
          report["initiatives"], "« Domaines par département »: one row per department and domain, every initiative")

    rows, formats, root = book.sheet("Initiatives")
    check_layout("Initiatives", root, rows)
    items = records(rows)
    check(len(items) == report["initiatives"], f"« Initiatives »: {len(items)} rows, one per initiative")
    for d in report["domains"]:
        primary = sum(1 for i in items if (i["libellé_domaine_principal"] or None) == (d["label"] if d["domain"] else None))
        check(primary == d["primary_count"], f"« Initiatives »: {d['label']} is the primary label of {primary} rows")
        if d["domain"]:
            touching = sum(i["domaine_" + d["domain"]] for i in items)
            check(touching == d["touching_count"], f"« Initiatives »: domaine_{d['domain']} sums to its touching count")
    rural = sum(1 for i in items if i["rurale"] == 1)
    check(rural == report["rural"]["rural"]["initiatives"], "« Initiatives »: rural rows are the report's rural initiatives")

    rows, formats, root = book.sheet("Qualité")
    v = report["quality"]["validation"]
    summary = {r[0]: r[1] for r in rows[1:] if r and r[0]}
    check(summary.get("initiatives codées") == v["n"] and close(summary.get("exactitude"), v["accuracy"]) and
          close(summary.get("exactitude, IC 95 % bas"), v["ci95_low"]), "« Qualité »: the sample's accuracy and interval")
    precision = rows[0].index("précision")
    got = [r[precision] if len(r) > precision else None for r in rows[1:len(v["domains"]) + 1]]
    check(all((want["precision"] is None and g is None) or close(g, want["precision"])
              for g, want in zip(got, v["domains"])), "« Qualité »: each domain's precision")


# ---- dta, sav: through the readstat tools ------------------------------------------------

def check_readstat(args, report):
    path = os.path.join(args.work, "barometre." + args.format)
    baro(args, "export", "--to", args.format, "--out", path)
    for tool in ("readstat", "extract_metadata"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: run tools/setup-debian.sh (package readstat)")
    out_csv, meta_json = os.path.join(args.work, "readback.csv"), os.path.join(args.work, "metadata.json")
    for command in (["readstat", path, out_csv], ["extract_metadata", path, meta_json]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        check(result.returncode == 0, f"{command[0]} reads the .{args.format} file ({result.stderr.strip()[-200:]})")
    with open(out_csv, encoding="utf-8", newline="") as f:
        items = list(csv.DictReader(f))
    with open(meta_json, encoding="utf-8") as f:
        variables = {v["name"]: v for v in json.load(f)["variables"]}

    # The metadata: French variable labels, value labels on the domains and the 0/1 variables.
    check(variables["department_name"].get("label") == "Département" and
          variables["rural"].get("label") == "Commune rurale (seuil en vigueur ou attribut importé)",
          "variable labels in French")
    categories = {int(c["code"]): c["label"] for c in variables["primary"].get("categories", [])}
    expected = {0: "Non classé"}
    expected.update({i + 1: d["label"] for i, d in enumerate(d for d in report["domains"] if d["domain"])})
    check(categories == expected, "primary: the domains' labels as value labels, 0 « Non classé »")
    yes_no = {0: "non", 1: "oui"}
    check(all({int(c["code"]): c["label"] for c in variables[name].get("categories", [])} == yes_no
              for name in variables if name == "rural" or name.startswith("domain_")), "non / oui on the 0/1 variables")

    # The values, against the report.
    check(len(items) == report["initiatives"], f"{len(items)} rows, one per initiative")
    for d in report["domains"]:
        primary = sum(1 for i in items if categories.get(int(float(i["primary"]))) == d["label"])
        same = sum(1 for i in items if (i["primary_domain"] or None) == d["domain"])
        check(primary == d["primary_count"] and same == d["primary_count"],
              f"{d['label']}: primary (labelled) and primary_domain on {primary} rows")
        if d["domain"]:
            touching = sum(float(i["domain_" + d["domain"]]) for i in items)
            check(touching == d["touching_count"], f"domain_{d['domain']} sums to its touching count")
    rural = sum(1 for i in items if i["rural"] and float(i["rural"]) == 1)
    check(rural == report["rural"]["rural"]["initiatives"], "rural: the report's rural initiatives")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", required=True, choices=["xlsx", "dta", "sav"])
    parser.add_argument("--baro", required=True)
    parser.add_argument("--template-db", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rows", type=int, default=150)
    args = parser.parse_args()
    report = prepare(args)
    if args.format == "xlsx":
        check_xlsx(args, report)
    else:
        check_readstat(args, report)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
