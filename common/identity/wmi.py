"""World Manufacturer Identifier (WMI, VIN positions 1-3) -> maker, and VIN prefix -> country.

The table covers the makers a Chinese leasing company meets: China-built vehicles (WMI starting
`L`) and the major importers. Entries were checked against public WMI lists (the Wikipedia /
Wikibooks WMI tables and per-WMI reference pages); a WMI we could not confirm is left out, so
`maker_for` answers None rather than a guess. Deliberately left out for that reason: LFN, LRD.
"""

from __future__ import annotations

# Three-character WMIs. Names are the maker as printed on Chinese registration papers, English.
_WMI3: dict[str, str] = {
    # China-built (L...)
    "LFV": "FAW-Volkswagen",
    "LSV": "SAIC Volkswagen",
    "LSG": "SAIC General Motors",
    "LHG": "GAC Honda",
    "LUC": "GAC Honda",
    "LVS": "Changan Ford",
    "LGB": "Dongfeng Nissan",
    "LGW": "Great Wall Motor",
    "LSJ": "SAIC Motor (MG / Roewe)",
    "LB3": "Geely Automobile",
    "LC0": "BYD Auto",
    "LGX": "BYD Auto",
    "LRW": "Tesla (Shanghai)",
    "LFP": "FAW Car",
    "LFB": "FAW Bus",
    "LFW": "FAW Jiefang",
    "LFT": "FAW Trailer",
    "LZW": "SAIC-GM-Wuling",
    "LZZ": "Sinotruk (China National Heavy Duty Truck)",
    "LZG": "Shaanxi Automobile Group",
    "LZY": "Yutong Bus",
    "LZE": "Isuzu Guangzhou",
    "LZM": "MAN China",
    "LGA": "Dongfeng Commercial Vehicle",
    "LDC": "Dongfeng Peugeot Citroën (DPCA)",
    "LGH": "Dongfeng Motor",
    "LJ1": "JAC Motors",
    "LJC": "JAC Motors",
    "LVV": "Chery Automobile",
    "LVZ": "Dongfeng Sokon (DFSK)",
    "LBV": "BMW Brilliance",
    "LBE": "Beijing Hyundai",
    "LE4": "Beijing Benz",
    "LSY": "Brilliance Auto",
    "LTV": "FAW Toyota (Tianjin)",
    "LH1": "FAW Haima",
    "LKL": "King Long",
    "LDY": "Zhongtong Bus",
    "LET": "Jiangling Isuzu",
    "LDN": "Soueast Motor",
    "LHB": "BAIC Group",
    # Imports
    "WBA": "BMW",
    "WBS": "BMW M",
    "WBY": "BMW i",
    "WMW": "MINI",
    "WDB": "Mercedes-Benz",
    "WDD": "Mercedes-Benz",
    "WDC": "Mercedes-Benz (SUV)",
    "WDF": "Mercedes-Benz Vans",
    "W1K": "Mercedes-Benz",
    "W1N": "Mercedes-Benz (SUV)",
    "WME": "smart",
    "WVW": "Volkswagen",
    "WVG": "Volkswagen (SUV)",
    "WV1": "Volkswagen Commercial Vehicles",
    "WV2": "Volkswagen Commercial Vehicles",
    "WAU": "Audi",
    "WA1": "Audi (SUV)",
    "WP0": "Porsche",
    "WP1": "Porsche (SUV)",
    "WF0": "Ford Germany",
    "W0L": "Opel",
    "WMA": "MAN Truck & Bus",
    "TMB": "Škoda",
    "TRU": "Audi Hungary",
    "VF1": "Renault",
    "VF3": "Peugeot",
    "VF7": "Citroën",
    "VSS": "SEAT",
    "YV1": "Volvo Cars",
    "YV4": "Volvo Cars (SUV)",
    "YV2": "Volvo Trucks",
    "YS2": "Scania",
    "ZFA": "Fiat",
    "ZFF": "Ferrari",
    "ZHW": "Lamborghini",
    "ZAM": "Maserati",
    "ZAR": "Alfa Romeo",
    "SAL": "Land Rover",
    "SAJ": "Jaguar",
    "SCC": "Lotus",
    "SCF": "Aston Martin",
    "SCA": "Rolls-Royce",
    "SCB": "Bentley",
    "JMZ": "Mazda",
    "JM1": "Mazda",
    "JMB": "Mitsubishi Motors",
    "KMH": "Hyundai",
    "KNA": "Kia",
    "KND": "Kia",
    "5YJ": "Tesla",
    "7SA": "Tesla",
}

# Two-character prefixes where the maker owns the whole block.
_WMI2: dict[str, str] = {
    "JT": "Toyota",
    "JN": "Nissan",
    "JH": "Honda",
    "JF": "Subaru",
    "JS": "Suzuki",
    "KM": "Hyundai",
    "KN": "Kia",
}

# (first character, second-character range) -> country or region, per ISO 3780 blocks.
_ORDER = "ABCDEFGHJKLMNPRSTUVWXYZ1234567890"
_COUNTRIES: tuple[tuple[str, str, str, str], ...] = (
    ("L", "A", "0", "China"),
    ("J", "A", "0", "Japan"),
    ("K", "L", "R", "South Korea"),
    ("R", "F", "G", "Taiwan"),
    ("M", "A", "E", "India"),
    ("M", "L", "R", "Thailand"),
    ("S", "A", "M", "United Kingdom"),
    ("S", "N", "T", "Germany"),
    ("W", "A", "0", "Germany"),
    ("T", "J", "P", "Czech Republic"),
    ("T", "R", "V", "Hungary"),
    ("V", "F", "R", "France"),
    ("V", "S", "W", "Spain"),
    ("Y", "S", "W", "Sweden"),
    ("Z", "A", "R", "Italy"),
    ("1", "A", "0", "United States"),
    ("4", "A", "0", "United States"),
    ("5", "A", "0", "United States"),
    ("2", "A", "0", "Canada"),
    ("3", "A", "W", "Mexico"),
    ("7", "A", "E", "New Zealand"),
    ("7", "F", "0", "United States"),
    ("6", "A", "W", "Australia"),
)


def maker_for(wmi: str) -> str | None:
    """The maker for a three-character WMI, or None when we do not know it."""
    return _WMI3.get(wmi) or _WMI2.get(wmi[:2])


def country_for(vin: str) -> str | None:
    """Country or region of manufacture from VIN positions 1-2, or None when unassigned here."""
    if len(vin) < 2 or vin[1] not in _ORDER:
        return None
    second = _ORDER.index(vin[1])
    for first, low, high, name in _COUNTRIES:
        if vin[0] == first and _ORDER.index(low) <= second <= _ORDER.index(high):
            return name
    return None
