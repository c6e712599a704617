"""A researcher's questions about the Mali page, with the passages that answer them.

Each entry: (query, ids of the passages that answer it). The first listed is
not special: every listed passage counts as relevant for recall@10, and the
best-ranked one gives the reciprocal rank.
"""

from __future__ import annotations

QUERIES: list[tuple[str, frozenset[str]]] = [
    (q, frozenset(f"mali-p{n:02d}" for n in ids))
    for q, ids in [
        # keywords
        ("child soldiers", [10]),
        ("refugees Mauritania", [10, 12]),
        ("torture summary executions Malian soldiers", [11]),
        ("UNESCO heritage sites destroyed", [12]),
        ("peacekeepers killed", [26]),
        ("corruption cocaine smuggling", [5]),
        ("small arms proliferation Libya", [3]),
        ("responsibility to protect workshop", [21]),
        ("Red Cross workers kidnapped", [25]),
        ("ceasefire 23 May 2014", [28, 29, 30]),
        ("Algiers negotiations roadmap", [29]),
        ("election free and fair", [1, 23]),
        ("Tuareg uprisings self-determination", [2]),
        ("internally displaced", [10, 12]),
        ("women's participation", [18]),
        ("Mali's independence from France", [1, 2]),
        ("junta sanctions", [6]),
        ("Islamist extremism Sahel", [17]),
        ("French airstrikes", [16]),
        ("peace talks Algeria", [28, 29, 30, 31]),
        ("Islamists destroyed mausoleums", [12]),
        ("rape", [10, 12, 22]),
        ("amnesty", [6, 11, 18, 20]),
        ("state broadcaster", [4]),
        # names
        ("Sanogo coup", [4]),
        ("Hollande", [16]),
        ("Dioncounda Traore interim president", [6]),
        ("Fatou Bensouda investigation", [22]),
        ("Ban Ki-moon", [24]),
        ("Ladsous", [26]),
        ("Moussa Ag Assarid", [31]),
        ("Operation Serval", [16, 17, 24]),
        ("Barkhane N'Djamena", [17]),
        ("Ansar Dine Sharia", [8, 9]),
        ("Konna", [16]),
        ("Kadji Goa", [11]),
        ("Human Rights Watch letter", [19]),
        ("Oxfam report governance", [18]),
        ("Resolution 2100", [14]),
        ("Ould Abdel Aziz mediation", [28]),
        ("Keenan parasitic partnership", [8]),
        ("Diop", [28]),
        ("ECOWAS mediation framework agreement", [6]),
        ("resolution 2164", [15, 24, 29]),
        # acronyms and aliases
        ("IBK", [1, 19, 23, 24, 25]),
        ("CVJR", [28, 30]),
        ("MNLA alliance", [7, 8]),
        ("AQIM", [9]),
        ("MUJAO jihad West Africa", [9]),
        ("FIDH manifesto", [20]),
        ("ICC", [22]),
        ("Islamic Maghreb", [9]),
        ("MUJAO Red Cross", [25]),
        ("Tombouctou", [7, 12, 16]),
        ("Gaddafi", [3]),
        # misspellings
        ("Ouagadugu", [20, 23]),
        ("Timbuctoo", [7, 12, 16]),
        ("Bensuda", [22]),
        ("Medecins Sans Frontieres", [19]),
        ("Hollonde", [16]),
        # French names, accents typed or not
        ("Verite", [28]),
        ("Commission Vérité Justice Réconciliation", [28, 30]),
        ("Haut Conseil pour l'Unite de l'Azawad", [27]),
        ("Reseau des Femmes africaines", [21]),
        # phrases
        ('"peace enforcement"', [14]),
        ('"child soldiers"', [10]),
        ('"transitional government"', [16, 23]),
        ('"forced disappearances"', [11, 12]),
    ]
]
