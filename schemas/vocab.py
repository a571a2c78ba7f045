"""Closed vocabularies used by the table schemas (and by the extractors that fill them)."""

LANGUAGES = ("en", "zh", "bilingual")
SEGMENT_LANGS = ("en", "zh")
SEGMENT_KINDS = ("title", "heading", "paragraph")
EVENT_TYPES = ("conference", "signing_ceremony", "expo", "forum", "delegation_visit", "unveiling", "other")
DEAL_TYPES = ("investment", "contract", "strategic_cooperation", "settlement", "equity_investment", "other")
ROLES = ("speaker", "attendee", "presider", "witness", "signatory", "other")
AMOUNT_QUALIFIERS = ("exact", "approx", "over", "under")
DATE_PRECISIONS = ("day", "month", "year")
RUN_STATUSES = ("completed", "completed_with_rejects", "failed")
FILE_OUTCOMES = ("ingested", "duplicate", "rejected")
REJECT_STAGES = ("discover", "decode", "clean", "extract", "duplicate", "validate")

# Active ISO 4217 alphabetic codes (ISO 4217 amendment list, SIX Group, 2024 edition;
# funds/precious-metal codes X** are excluded on purpose: deals are not priced in them).
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG
    """.split()
)
