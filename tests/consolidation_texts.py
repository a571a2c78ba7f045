"""Invented articles for the consolidation tests: one fictional convention reported by three outlets
in English, Chinese and both, plus two near misses (last year's edition, another conference of the
same city in the same week). Every name, figure and sentence is made up for these tests."""

from __future__ import annotations

CONVENTION_EN = """Lakeside battery convention signs 120 projects
Published: 2025-10-12  Source: Harbour Daily

HEFEI, Oct. 12, 2025 -- The 2025 World Lithium Battery Convention opened on Oct. 10 in Hefei, capital of Anhui province.

A total of 120 projects with a total investment of 88.6 billion yuan were signed at the convention.

Jinrui Battery Technology Co., Ltd. signed an agreement with the Hefei Municipal Government to build a solid-state battery cell plant with an investment of 12 billion yuan.

Norvella Mobility Group signed a contract with the Hefei Municipal Government for an electric bus assembly base with an investment of 3.5 billion yuan.
"""

CONVENTION_ZH = """2025世界锂电池大会在合肥开幕 签约项目120个
发布时间：2025-10-11  来源：江淮日报

10月10日，2025世界锂电池大会在合肥开幕。

大会共签约项目120个，总投资886亿元。

其中，锦瑞电池科技有限公司与合肥市人民政府签约，投资120亿元建设固态电池电芯工厂项目。
"""

CONVENTION_BILINGUAL = """2025 World Lithium Battery Convention: Lumora Energy joins | 2025世界锂电池大会：璐摩能源签约
Published: 2025-10-13  Source: Pearl River Review

The 2025 World Lithium Battery Convention was held in Hefei on Oct. 10.
10月10日，2025世界锂电池大会在合肥举行。

Lumora Energy signed an agreement with the Hefei Municipal Government to invest 2.2 billion yuan in an energy storage project.
璐摩能源与合肥市人民政府签约，投资22亿元建设储能项目。

A total of 120 projects with a total investment of 88.6 billion yuan were signed.
大会共签约项目120个，总投资886亿元。
"""

LAST_YEAR_EN = """Battery convention closes with 95 projects
Published: 2024-10-14  Source: Harbour Daily

HEFEI, Oct. 14, 2024 -- The 2024 World Lithium Battery Convention opened on Oct. 11 in Hefei.

A total of 95 projects with a total investment of 61.2 billion yuan were signed at the convention.

Jinrui Battery Technology Co., Ltd. signed an agreement with the Hefei Municipal Government for a cathode materials plant with an investment of 4 billion yuan.
"""

SAME_WEEK_EN = """Hefei holds biomedicine promotion conference
Published: 2025-10-12  Source: Harbour Daily

HEFEI, Oct. 12, 2025 -- The 2025 Hefei Biomedicine Investment Promotion Conference was held on Oct. 11 in Hefei.

A total of 18 projects with a total investment of 9.4 billion yuan were signed at the conference.

Celvano Therapeutics signed an agreement with the Hefei High-tech Zone to build a cell therapy centre with an investment of 1.5 billion yuan.
"""

ARTICLES = {
    "a_convention_en.txt": CONVENTION_EN,
    "b_convention_zh.txt": CONVENTION_ZH,
    "c_convention_bilingual.txt": CONVENTION_BILINGUAL,
    "d_last_year_en.txt": LAST_YEAR_EN,
    "e_same_week_en.txt": SAME_WEEK_EN,
}
