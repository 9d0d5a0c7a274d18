"""The Chinese edition's catalogs (scripts/translations.py): complete, consistent, current.

The fast tests read the catalogs as they are: every message translated and not fuzzy, every
formula, code span, glued value and cross-reference target kept, every glossary term shown one
way. The slow one extracts the English messages again and fails when a catalog is out of date
with the English text (``make translations``). The checker's rules are tested on made-up
messages, each of which it must reject.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from notebook_tools import script

ROOT = Path(__file__).resolve().parents[1]


translations = script("translations")
TERMS = translations.glossary_chinese()


def test_every_catalog_is_translated_and_consistent():
    problems = translations.problems()
    assert not problems, "\n".join(map(str, problems[:20])) + "\n(`python scripts/translations.py --check`)"


@pytest.mark.slow
def test_the_catalogs_match_the_english_text():
    with tempfile.TemporaryDirectory() as tmp:
        problems = translations.problems(translations.extract(Path(tmp)))
    assert not problems, "\n".join(map(str, problems[:20])) + "\nrun `make translations`, then translate"


def test_every_page_has_a_catalog():
    from notebook_tools import toc_files

    have = set(translations.catalogs())
    assert {name for name in toc_files("_toc.yml")} <= have


def test_the_glossary_gives_one_chinese_term_per_term():
    assert TERMS["neuron"] == "神经元" and TERMS["transfer learning"] == "迁移学习"
    assert len(TERMS) >= 70
    with pytest.raises(translations.CatalogError, match="does not open with its Chinese term"):
        translations.glossary_chinese("```{glossary}\nneuron\n  A unit.\n```\n")


GOOD = (
    "A {term}`neuron` computes $y = f(z)$ with `Dense` and {glue:text}`acc:.1f` % "
    "({cite:t}`pan2010`, {doc}`how to run <../book/how-to-run>`)."
)
GOOD_ZH = (
    "{term}`神经元 <neuron>` 用 `Dense` 计算 $y = f(z)$，准确率 {glue:text}`acc:.1f` %"
    "（{cite:t}`pan2010`，{doc}`运行指南 <../book/how-to-run>`）。"
)


def test_a_faithful_translation_has_no_problem():
    assert translations.message_problems(GOOD, GOOD_ZH, TERMS) == []


@pytest.mark.parametrize(
    ("msgstr", "problem"),
    [
        (GOOD_ZH.replace("$y = f(z)$", "$y=f(z)$"), "drops"),
        (GOOD_ZH.replace("{glue:text}`acc:.1f` %", "93.1 %"), "drops"),
        (GOOD_ZH.replace("`Dense`", "Dense 层"), "drops"),
        (GOOD_ZH.replace("<../book/how-to-run>", "<../book/intro>"), "adds"),
        (GOOD_ZH.replace("神经元 <neuron>", "神经单元 <neuron>"), "not as the glossary's '神经元'"),
        (GOOD, "no Chinese text"),
        ("1. 神经元", "starts like a list"),
    ],
)
def test_the_checker_rejects(msgstr, problem):
    msgid = "1. The neuron" if msgstr.startswith("1.") else GOOD
    found = translations.message_problems(msgid, msgstr, TERMS)
    assert any(problem in p for p in found), found


@pytest.mark.parametrize(
    ("msgid", "msgstr", "dropped"),
    [
        ("It took 57 s on 2 cores.", "在 2 个核心上用时 57 秒。", []),
        ("It took 57 s on 2 cores.", "在两个核心上用时 57 秒。", []),  # a Chinese numeral up to ten
        ("We project 2,000 images.", "我们投影 2000 幅图像。", []),  # thousands separators aside
        ("It matched 400 million images.", "它匹配了 4 亿幅图像。", []),  # counted in 亿
        ("It matched 400 million images.", "它匹配了 40000 万幅图像。", []),  # or in 万
        ("It took 57 s on 2 cores.", "在两个核心上用时 75 秒。", ["57"]),
        ("A 3-class model. Then 12 more.", "一个三分类模型。", ["12"]),  # a sentence left out
        ("It matched 400 million images.", "它匹配了 4 万幅图像。", ["400"]),  # a wrong count
        ("Set `N_SEEDS = 1` and 1.5 GB.", "设置 `N_SEEDS = 1`。", ["1.5"]),  # code is checked as code
    ],
)
def test_a_translation_keeps_the_numbers_of_the_prose(msgid, msgstr, dropped):
    assert translations.dropped_numbers(msgid, msgstr) == dropped
    found = translations.message_problems(msgid, msgstr, TERMS)
    assert any("number" in p for p in found) == bool(dropped), found


def test_formulas_and_code_need_no_translation():
    assert not translations.needs_translation("\n\\frac{\\partial L}{\\partial w} = x\n")
    assert not translations.needs_translation("$f(z)$")
    assert not translations.needs_translation("`model.fit`, {glue:text}`acc:.2f`")
    assert translations.needs_translation("The loss falls.")


MARKDOWN = """## Activation functions

The loss falls.
Then it rises.

:::{admonition} Learning objectives
:class: tip
1. compute a neuron;
2. count parameters.
:::

| name | range |
|---|---|
| sigmoid | $(0, 1)$ |

```python
print("The loss falls.")
```

$$
y = f(x)
$$
"""

CATALOG = {
    "Activation functions": "激活函数",
    "The loss falls. Then it rises.": "损失先下降，然后上升。",
    "Learning objectives": "学习目标",
    "compute a neuron;": "计算一个神经元；",
    "count parameters.": "数参数。",
    "name": "名称",
    "range": "值域",
}


def test_translate_markdown_replaces_each_element_and_keeps_the_rest():
    missing: list[str] = []
    out = translations.translate_markdown(MARKDOWN, CATALOG, missing)
    assert missing == ["sigmoid"]  # not in the made-up catalog: reported, left in English
    assert out.splitlines()[:3] == ["## 激活函数", "", "损失先下降，然后上升。"]
    assert ":::{admonition} 学习目标" in out and ":class: tip" in out
    assert "1. 计算一个神经元；" in out and "2. 数参数。" in out
    assert "| 名称 | 值域 |" in out and "| sigmoid | $(0, 1)$ |" in out
    assert 'print("The loss falls.")' in out and "y = f(x)" in out  # code and math untouched


def test_chinese_learner_notebooks_have_the_english_code():
    """learner_zh/ differs from learner/ in its Markdown and in asking for Chinese figure text
    (``plots.vector_figures(language="zh_CN")``), so the Colab-like run of learner/ covers its code."""
    for english in sorted((ROOT / "learner").glob("*.ipynb")):
        chinese = ROOT / "learner_zh" / english.name
        assert chinese.exists(), f"no {chinese.relative_to(ROOT)}: run `make editions`"

        def code(path: Path) -> list[str]:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]

        chinese_code = [
            c.replace('plots.vector_figures(language="zh_CN")', "plots.vector_figures()")
            for c in code(chinese)
        ]
        assert chinese_code == code(english), english.name


SVG = (
    '<svg><text style="font-size: 10px" x="1" y="2">epoch</text>'
    '<text x="1" y="2">0.5</text><text x="3" y="4">Loss &amp; accuracy</text>'
    "<text><tspan>f</tspan></text></svg>"
)


def test_svg_texts_reads_matplotlibs_text_elements():
    assert translations.svg_texts(SVG) == ["epoch", "0.5", "Loss & accuracy"]


def test_figure_text_needs_the_executed_chapters(tmp_path):
    with pytest.raises(translations.CatalogError, match="run `make book` first"):
        translations.figure_messages(executed=tmp_path)


def test_a_figure_number_that_differs_from_the_catalogs_is_neither_new_nor_stale():
    """Another processor can give an ECE of 4.60 % where the catalog was made from 4.54 %."""
    entries = {
        "scratch (ECE 4.54 %)": "从头训练（ECE 4.54 %）",
        "epoch": "轮次",
        "old title": "旧标题",
        "batch 8": "",  # untranslated: translates nothing else
        "loss 1.5": "损失",  # drops the number: translates nothing else
    }
    wanted = ["scratch (ECE 4.60 %)", "epoch", "batch 16", "loss 2.5", "new title"]
    new, gone = translations.figure_catalog_differences(wanted, entries)
    assert new == ["batch 16", "loss 2.5", "new title"]
    assert gone == ["batch 8", "loss 1.5", "old title"]
    assert translations.figure_catalog_differences(list(entries), entries) == ([], [])


def test_the_figure_catalog_translates_its_numbered_texts_through_templates():
    """Every figures.po message with numbers that its translation keeps gives a template, and no
    two messages fill one template in differently (the legends with computed numbers need it)."""
    import polib

    from helpers import plots

    po = polib.pofile(str(translations.CATALOGS / "figures.po"))
    entries = {e.msgid: e.msgstr for e in po if e.msgstr and e.msgstr != e.msgid}
    templates = plots.number_templates(entries)
    computed = [  # the figures' texts that show computed numbers
        "one neuron: outputs {} to {}",
        "{}-{}-{} network: {} %",
        "η = {} (good): loss {}",
        "probability of {} (AUC = {})",
        "probability of {} (AP = {})",
        "scratch (ECE {} %)",
        "scratch, T = {} (ECE {} %)",
        "fine-tuned (ECE {} %)",
        "fine-tuned, T = {} (ECE {} %)",
    ]
    assert [t for t in computed if t not in templates] == []
    shapes = {}
    for msgid, msgstr in entries.items():
        source, target = plots.number_template(msgid), plots.number_template(msgstr)
        if source and target and source[1] == target[1]:
            shapes.setdefault(source[0], set()).add(target[0])
    assert {s: t for s, t in shapes.items() if len(t) > 1} == {}


def test_every_translated_figure_string_reaches_the_chinese_notebooks():
    """helpers/figures_zh_CN.json (generated) translates every drawn string of figures.po."""
    import polib

    from helpers import plots

    table = plots.figure_translations("zh_CN")
    alts = set(translations.alt_texts())
    po = polib.pofile(str(translations.CATALOGS / "figures.po"))
    drawn = {e.msgid: e.msgstr for e in po if e.msgid not in alts and e.msgstr != e.msgid}
    assert table == drawn
    svg = '<svg><text x="0">epoch</text><text x="1">0.5</text></svg>'
    assert plots.translate_svg(svg, table) == '<svg><text x="0">轮次</text><text x="1">0.5</text></svg>'
