#!/usr/bin/env python3
"""The survey generator: its lexicon files still make the bundled samples, byte for byte, and
a broken lexicon file stops it with the file's name.

Usage: generator_test.py SOURCE_DIR
"""

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = None

# The commands of data/sample/README.md, which made the committed samples.
SAMPLES = [
    (["--rows", "4000", "--communes", "400", "--seed", "2026", "--year", "2026", "--bom", "--crlf", "--quote-all"],
     "enquete-2026.csv", "enquete-2026.truth.csv"),
    (["--rows", "300", "--communes", "60", "--seed", "2025", "--year", "2025", "--encoding", "windows-1252", "--crlf"],
     "enquete-2025-excel.csv", "enquete-2025-excel.truth.csv"),
    (["--rows", "200", "--communes", "30", "--seed", "2027", "--year", "2026", "--format", "jsonl"],
     "enquete-2026.jsonl", "enquete-2026-jsonl.truth.csv"),
]


def run_generator(script, args):
    return subprocess.run([sys.executable, script] + args, capture_output=True, text=True)


class GeneratorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="baro-generator-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_the_lexicon_files_make_the_bundled_samples_byte_for_byte(self):
        script = os.path.join(SOURCE_DIR, "tools", "generate_survey.py")
        sample_dir = os.path.join(SOURCE_DIR, "data", "sample")
        for args, sample, truth in SAMPLES:
            out = os.path.join(self.tmp, sample)
            truth_out = os.path.join(self.tmp, truth)
            result = run_generator(script, args + ["--out", out, "--truth", truth_out])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(filecmp.cmp(out, os.path.join(sample_dir, sample), shallow=False),
                            sample + " differs from what the generator writes: regenerate it (data/sample/README.md)")
            self.assertTrue(filecmp.cmp(truth_out, os.path.join(sample_dir, "truth", truth), shallow=False), truth)

    def test_a_sub_topic_typo_in_a_lexicon_file_stops_the_generator_with_the_file_name(self):
        tools = os.path.join(self.tmp, "tools")
        shutil.copytree(os.path.join(SOURCE_DIR, "tools", "survey_lexicon"), os.path.join(tools, "survey_lexicon"))
        shutil.copy(os.path.join(SOURCE_DIR, "tools", "generate_survey.py"), tools)
        domain_file = os.path.join(tools, "survey_lexicon", "domains", "culture.json")
        with open(domain_file, encoding="utf-8") as f:
            domain = json.load(f)
        scoped = next(e for e in domain["motives"] if isinstance(e, dict))
        scoped["subtopics"].append("mediatheqe")
        with open(domain_file, "w", encoding="utf-8") as f:
            json.dump(domain, f, ensure_ascii=False)
        result = run_generator(os.path.join(tools, "generate_survey.py"),
                               ["--rows", "10", "--communes", "5", "--out", os.path.join(self.tmp, "x.csv"),
                                "--reference", os.path.join(SOURCE_DIR, "data", "reference", "fr-communes-2026.csv")])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("survey_lexicon/domains/culture.json", result.stderr)
        self.assertIn("mediatheqe", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.csv")))


if __name__ == "__main__":
    SOURCE_DIR = sys.argv.pop(1)
    unittest.main(verbosity=2)
