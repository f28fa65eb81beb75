"""Hard Dutch sentence-splitting cases: ``(name, text, sentences)``, written for the segmenter's tests and bench.

Each text is split where a reader splits it. They are invented sentences in the
style of Dutch and Flemish news, grouped by what makes them hard.
"""

CASES: list[tuple[str, str, list[str]]] = [
    # Quotes: the closing quote stays with its sentence, the opening quote goes to the next.
    (
        "straight-quote-opens-next",
        'De burgemeester van Zwolle sprak woensdag de raad toe. "We gaan door met het plan."',
        ["De burgemeester van Zwolle sprak woensdag de raad toe.", '"We gaan door met het plan."'],
    ),
    (
        "quote-after-dialogue-tag",
        '"We gaan door," zei hij. "Er is geen weg terug."',
        ['"We gaan door," zei hij.', '"Er is geen weg terug."'],
    ),
    (
        "closing-straight-quote-kept",
        '"Het is voorbij." De minister verliet de zaal.',
        ['"Het is voorbij."', "De minister verliet de zaal."],
    ),
    (
        "typographic-double",
        "“Dit is een zwarte dag.” Volgens de vakbond verdwijnen er 300 banen.",
        ["“Dit is een zwarte dag.”", "Volgens de vakbond verdwijnen er 300 banen."],
    ),
    (
        "low-high-quotes",
        "De wethouder was duidelijk. „Wij betalen dit niet.” Daarna viel het stil.",
        ["De wethouder was duidelijk.", "„Wij betalen dit niet.”", "Daarna viel het stil."],
    ),
    (
        "comma-comma-quotes",
        ",,We hebben alles gegeven.'' De trainer keek tevreden terug.",
        [",,We hebben alles gegeven.''", "De trainer keek tevreden terug."],
    ),
    (
        "comma-comma-opens-next",
        "Het bestuur zweeg lang. ,,Dat is niet aan ons.'' zei een woordvoerder.",
        ["Het bestuur zweeg lang.", ",,Dat is niet aan ons.'' zei een woordvoerder."],
    ),
    (
        "single-straight-quotes",
        "'Het water stond tot aan de deur.' Bewoners moesten hun huis uit.",
        ["'Het water stond tot aan de deur.'", "Bewoners moesten hun huis uit."],
    ),
    (
        "single-typographic",
        "‘Ik had dit nooit verwacht.’ Ze won goud op de 1500 meter.",
        ["‘Ik had dit nooit verwacht.’", "Ze won goud op de 1500 meter."],
    ),
    (
        "guillemets-single",
        "‹Dat klopt niet.› De rechter schorste de zitting.",
        ["‹Dat klopt niet.›", "De rechter schorste de zitting."],
    ),
    (
        "guillemets-double",
        "«Wij blijven hier.» De actievoerders bleven zitten.",
        ["«Wij blijven hier.»", "De actievoerders bleven zitten."],
    ),
    (
        "question-in-quote-then-tag",
        '"Waarom nu?" vroeg de oppositie.',
        ['"Waarom nu?" vroeg de oppositie.'],
    ),
    (
        "exclamation-in-quote-then-tag",
        "„Weg hier!” riep de agent naar de menigte.",
        ["„Weg hier!” riep de agent naar de menigte."],
    ),
    (
        "question-in-quote-then-sentence",
        "“Wie betaalt dit?” De vraag bleef onbeantwoord.",
        ["“Wie betaalt dit?”", "De vraag bleef onbeantwoord."],
    ),
    (
        "multi-sentence-quote",
        '"We zijn blij. Het was zwaar. Maar we hebben het gehaald," zei de kapitein.',
        ['"We zijn blij.', "Het was zwaar.", 'Maar we hebben het gehaald," zei de kapitein.'],
    ),
    (
        "quote-then-quote",
        '"Nee." "Ja." "Misschien."',
        ['"Nee."', '"Ja."', '"Misschien."'],
    ),
    (
        "quote-mid-sentence",
        'Hij noemde het plan "onhaalbaar en duur". Toch stemde hij voor.',
        ['Hij noemde het plan "onhaalbaar en duur".', "Toch stemde hij voor."],
    ),
    (
        "colon-then-quote",
        'De premier zei: "Dit kabinet staat." Een dag later viel het.',
        ['De premier zei: "Dit kabinet staat."', "Een dag later viel het."],
    ),
    (
        "apostrophe-s-opening",
        "Het begon te regenen. 's Avonds stond de straat blank.",
        ["Het begon te regenen.", "'s Avonds stond de straat blank."],
    ),
    (
        "apostrophe-t-inside",
        "Het is 't mooiste seizoen. 's-Hertogenbosch viert feest.",
        ["Het is 't mooiste seizoen.", "'s-Hertogenbosch viert feest."],
    ),
    (
        "plural-apostrophe",
        "Er reden geen auto's meer. De weg was dicht.",
        ["Er reden geen auto's meer.", "De weg was dicht."],
    ),
    # Abbreviations.
    (
        "abbr-o.a.",
        "Er kwamen o.a. brandweer en politie. De weg werd afgesloten.",
        ["Er kwamen o.a. brandweer en politie.", "De weg werd afgesloten."],
    ),
    (
        "abbr-o.a.-before-name",
        "Er spraken o.a. Rutte en Timmermans.",
        ["Er spraken o.a. Rutte en Timmermans."],
    ),
    (
        "abbr-bijv.",
        "Grote steden, bijv. Rotterdam, krijgen meer geld.",
        ["Grote steden, bijv. Rotterdam, krijgen meer geld."],
    ),
    (
        "abbr-bijv.-capital",
        "Denk aan bijv. Utrecht of Arnhem.",
        ["Denk aan bijv. Utrecht of Arnhem."],
    ),
    (
        "abbr-dhr.",
        "Volgens dhr. Jansen is de schade groot.",
        ["Volgens dhr. Jansen is de schade groot."],
    ),
    (
        "abbr-Dhr.-sentence-start",
        "Dhr. De Boer trad af. Zijn opvolger begint maandag.",
        ["Dhr. De Boer trad af.", "Zijn opvolger begint maandag."],
    ),
    (
        "abbr-mevr.",
        "Mevr. Bakker kreeg een lintje. Ze was verrast.",
        ["Mevr. Bakker kreeg een lintje.", "Ze was verrast."],
    ),
    (
        "abbr-mr.",
        "Advocaat mr. Visser gaat in hoger beroep.",
        ["Advocaat mr. Visser gaat in hoger beroep."],
    ),
    (
        "abbr-dr.",
        "Onderzoeker dr. Van Dijk leidde de studie.",
        ["Onderzoeker dr. Van Dijk leidde de studie."],
    ),
    (
        "abbr-prof.",
        "Het rapport van prof. Smit verschijnt vandaag. Het telt 200 pagina's.",
        ["Het rapport van prof. Smit verschijnt vandaag.", "Het telt 200 pagina's."],
    ),
    (
        "abbr-ca.",
        "Er stonden ca. 300 mensen in de rij.",
        ["Er stonden ca. 300 mensen in de rij."],
    ),
    (
        "abbr-jl.-final",
        "Het ongeluk gebeurde op 3 mei jl. De politie zoekt getuigen.",
        ["Het ongeluk gebeurde op 3 mei jl.", "De politie zoekt getuigen."],
    ),
    (
        "abbr-jl.-inside",
        "Op maandag jl. werd de brug geopend.",
        ["Op maandag jl. werd de brug geopend."],
    ),
    (
        "abbr-nr.",
        "Het huis op nr. 12 brandde uit. Niemand raakte gewond.",
        ["Het huis op nr. 12 brandde uit.", "Niemand raakte gewond."],
    ),
    (
        "abbr-blz.",
        "Zie blz. 4 voor het hele verhaal.",
        ["Zie blz. 4 voor het hele verhaal."],
    ),
    (
        "abbr-i.v.m.",
        "De trein rijdt niet i.v.m. werkzaamheden. Reizigers moeten de bus nemen.",
        ["De trein rijdt niet i.v.m. werkzaamheden.", "Reizigers moeten de bus nemen."],
    ),
    (
        "abbr-m.b.t.",
        "Er zijn vragen m.b.t. Schiphol en de geluidsnormen.",
        ["Er zijn vragen m.b.t. Schiphol en de geluidsnormen."],
    ),
    (
        "abbr-enz.-final",
        "Ze verkopen brood, kaas, melk enz. Het winkeltje bestaat 50 jaar.",
        ["Ze verkopen brood, kaas, melk enz.", "Het winkeltje bestaat 50 jaar."],
    ),
    (
        "abbr-enz.-inside",
        "Fietsen, scooters enz. moeten buiten blijven.",
        ["Fietsen, scooters enz. moeten buiten blijven."],
    ),
    (
        "abbr-St.",
        "De St. Janskerk in Den Bosch krijgt een nieuw dak.",
        ["De St. Janskerk in Den Bosch krijgt een nieuw dak."],
    ),
    (
        "abbr-St.-Maarten",
        "Het vliegtuig landde op St. Maarten. Er was storm.",
        ["Het vliegtuig landde op St. Maarten.", "Er was storm."],
    ),
    (
        "abbr-t.a.v.",
        "De brief t.a.v. Mevrouw Peters kwam te laat.",
        ["De brief t.a.v. Mevrouw Peters kwam te laat."],
    ),
    (
        "abbr-ir.",
        "Het ontwerp is van ir. Hendriks uit Delft.",
        ["Het ontwerp is van ir. Hendriks uit Delft."],
    ),
    (
        "abbr-drs.",
        "Drs. Mulder opende de vergadering. Daarna sprak de voorzitter.",
        ["Drs. Mulder opende de vergadering.", "Daarna sprak de voorzitter."],
    ),
    (
        "abbr-d.w.z.",
        "Het plan kost meer, d.w.z. Den Haag moet bijspringen.",
        ["Het plan kost meer, d.w.z. Den Haag moet bijspringen."],
    ),
    (
        "abbr-incl.",
        "Een kaartje kost 12 euro incl. BTW.",
        ["Een kaartje kost 12 euro incl. BTW."],
    ),
    (
        "abbr-month",
        "De wet gaat in op 1 jan. 2027. Gemeenten moeten zich voorbereiden.",
        ["De wet gaat in op 1 jan. 2027.", "Gemeenten moeten zich voorbereiden."],
    ),
    (
        "abbr-a.s.-final",
        "De stemming is op dinsdag a.s. De uitslag volgt woensdag.",
        ["De stemming is op dinsdag a.s.", "De uitslag volgt woensdag."],
    ),
    # Initials.
    (
        "initials-balkenende",
        "Oud-premier J.P. Balkenende opende het congres.",
        ["Oud-premier J.P. Balkenende opende het congres."],
    ),
    (
        "initials-sentence-start",
        "J.P. Balkenende was premier van 2002 tot 2010.",
        ["J.P. Balkenende was premier van 2002 tot 2010."],
    ),
    (
        "initials-with-spaces",
        "Schrijver W. F. Hermans woonde in Parijs.",
        ["Schrijver W. F. Hermans woonde in Parijs."],
    ),
    (
        "initial-single",
        "Het boek van A. Jansen verschijnt in maart.",
        ["Het boek van A. Jansen verschijnt in maart."],
    ),
    (
        "suspect-initial-inside",
        "Verdachte Michael P. zit nog vast.",
        ["Verdachte Michael P. zit nog vast."],
    ),
    (
        "suspect-initial-final",
        "De verdachte is Michael P. Hij ontkent alles.",
        ["De verdachte is Michael P.", "Hij ontkent alles."],
    ),
    (
        "suspect-initial-final-de",
        "Het gaat om Jos B. De man woont in Venlo.",
        ["Het gaat om Jos B.", "De man woont in Venlo."],
    ),
    (
        "initial-van-surname",
        "Minister H. van der Berg kwam te laat.",
        ["Minister H. van der Berg kwam te laat."],
    ),
    (
        "initial-then-capital-particle",
        "Oud-wethouder P. De Wit is overleden.",
        ["Oud-wethouder P. De Wit is overleden."],
    ),
    # Numbers, amounts, times and dates.
    (
        "thousands",
        "Er kwamen 1.000 mensen op af. De organisatie was tevreden.",
        ["Er kwamen 1.000 mensen op af.", "De organisatie was tevreden."],
    ),
    (
        "decimal-comma",
        "De economie groeide met 3,5 procent. Dat is meer dan verwacht.",
        ["De economie groeide met 3,5 procent.", "Dat is meer dan verwacht."],
    ),
    (
        "time",
        "De wedstrijd begint om 14.30 uur. De poorten gaan om 13.00 uur open.",
        ["De wedstrijd begint om 14.30 uur.", "De poorten gaan om 13.00 uur open."],
    ),
    (
        "year-final",
        "Hij was premier tot 2010. Daarna werd hij hoogleraar.",
        ["Hij was premier tot 2010.", "Daarna werd hij hoogleraar."],
    ),
    (
        "number-starts-sentence",
        "Het was druk op de weg. 300 kilometer file werd gemeld.",
        ["Het was druk op de weg.", "300 kilometer file werd gemeld."],
    ),
    (
        "date-dotted",
        "Het besluit van 12.05.2026 blijft staan.",
        ["Het besluit van 12.05.2026 blijft staan."],
    ),
    (
        "amount-euro",
        "Het kost € 2,5 miljoen. De gemeente betaalt de helft.",
        ["Het kost € 2,5 miljoen.", "De gemeente betaalt de helft."],
    ),
    (
        "score",
        "Ajax won met 3-1. De ploeg staat nu bovenaan.",
        ["Ajax won met 3-1.", "De ploeg staat nu bovenaan."],
    ),
    (
        "ordinal-number",
        "Ze werd 2e. Haar ploeggenote won.",
        ["Ze werd 2e.", "Haar ploeggenote won."],
    ),
    (
        "list-number",
        "1. Het kabinet valt\n2. Nieuwe verkiezingen",
        ["1. Het kabinet valt", "2. Nieuwe verkiezingen"],
    ),
    (
        "url-inside",
        "Meer informatie staat op nos.nl. De uitzending is om 20.00 uur.",
        ["Meer informatie staat op nos.nl.", "De uitzending is om 20.00 uur."],
    ),
    # Ellipses.
    (
        "ellipsis-three-dots-new-sentence",
        "We wachtten en wachtten... Toen kwam de trein eindelijk.",
        ["We wachtten en wachtten...", "Toen kwam de trein eindelijk."],
    ),
    (
        "ellipsis-char-new-sentence",
        "Het bleef stil… Niemand durfde iets te zeggen.",
        ["Het bleef stil…", "Niemand durfde iets te zeggen."],
    ),
    (
        "ellipsis-inside",
        "Het was… nou ja, een bijzondere avond.",
        ["Het was… nou ja, een bijzondere avond."],
    ),
    (
        "ellipsis-dots-inside",
        "Hij wachtte... en wachtte op de uitslag.",
        ["Hij wachtte... en wachtte op de uitslag."],
    ),
    (
        "ellipsis-in-quote",
        '"Ik weet het niet..." Ze zweeg.',
        ['"Ik weet het niet..."', "Ze zweeg."],
    ),
    # Dialogue dashes and asides.
    (
        "dialogue-dash-inline",
        "De agent stopte hem. – Waar gaat u heen? – Naar huis, zei hij.",
        ["De agent stopte hem.", "– Waar gaat u heen?", "– Naar huis, zei hij."],
    ),
    (
        "dialogue-dash-lines",
        "– Kom je morgen?\n– Ja, natuurlijk.",
        ["– Kom je morgen?", "– Ja, natuurlijk."],
    ),
    (
        "aside-dashes",
        "Het besluit – na lang overleg met de OR – valt vandaag. Het personeel is ongerust.",
        ["Het besluit – na lang overleg met de OR – valt vandaag.", "Het personeel is ongerust."],
    ),
    # Headlines, subheads and list items without final punctuation.
    (
        "headline-above-paragraph",
        "Brand in Hoboken\nDe brandweer rukte uit. Twee mensen raakten gewond.",
        ["Brand in Hoboken", "De brandweer rukte uit.", "Twee mensen raakten gewond."],
    ),
    (
        "subhead-between",
        "Het kabinet valt.\n\nGeen afname\nDe werkloosheid bleef gelijk.",
        ["Het kabinet valt.", "Geen afname", "De werkloosheid bleef gelijk."],
    ),
    (
        "bulleted-list",
        "De maatregelen:\n- scholen dicht\n- horeca om 22.00 uur dicht\n- thuiswerken",
        ["De maatregelen:", "- scholen dicht", "- horeca om 22.00 uur dicht", "- thuiswerken"],
    ),
    (
        "crlf-free-blank-lines",
        "Eerste alinea.\n\n\nTweede alinea.",
        ["Eerste alinea.", "Tweede alinea."],
    ),
    # Other punctuation.
    (
        "question-new-sentence",
        "Wat gebeurt er nu? De Kamer debatteert morgen.",
        ["Wat gebeurt er nu?", "De Kamer debatteert morgen."],
    ),
    (
        "exclamation-new-sentence",
        "Wat een wedstrijd! Oranje staat in de finale.",
        ["Wat een wedstrijd!", "Oranje staat in de finale."],
    ),
    (
        "interrobang",
        "Ze hebben gewonnen?! Niemand had het verwacht.",
        ["Ze hebben gewonnen?!", "Niemand had het verwacht."],
    ),
    (
        "parenthesised-sentence",
        "Het museum gaat dicht. (De collectie verhuist naar Leiden.) Het gebouw wordt gesloopt.",
        ["Het museum gaat dicht.", "(De collectie verhuist naar Leiden.)", "Het gebouw wordt gesloopt."],
    ),
    (
        "agency-in-parentheses",
        "AMSTERDAM (ANP) - De AEX sloot hoger. Beleggers waren opgelucht.",
        ["AMSTERDAM (ANP) - De AEX sloot hoger.", "Beleggers waren opgelucht."],
    ),
    (
        "lowercase-after-period-continues",
        "De afkorting is wsch. niet bekend bij iedereen.",
        ["De afkorting is wsch. niet bekend bij iedereen."],
    ),
    (
        "glued-sentences",
        "Het plan werd afgekeurd.Daarna ging de raad naar huis.",
        ["Het plan werd afgekeurd.", "Daarna ging de raad naar huis."],
    ),
    (
        "domain-not-split",
        "Het bericht verscheen op Nieuwsblad.be en werd veel gedeeld.",
        ["Het bericht verscheen op Nieuwsblad.be en werd veel gedeeld."],
    ),
    (
        "double-space",
        "De trein reed niet.  Reizigers stonden urenlang stil.",
        ["De trein reed niet.", "Reizigers stonden urenlang stil."],
    ),
    (
        "colon-no-split",
        "Het advies is duidelijk: Blijf binnen en sluit ramen.",
        ["Het advies is duidelijk: Blijf binnen en sluit ramen."],
    ),
    (
        "semicolon-no-split",
        "De ene helft stemde voor; De andere helft was tegen.",
        ["De ene helft stemde voor; De andere helft was tegen."],
    ),
    (
        "english-mr",
        "Mr. Smith met the mayor. They spoke for an hour.",
        ["Mr. Smith met the mayor.", "They spoke for an hour."],
    ),
    (
        "english-quotes",
        '"We will rebuild," he said. "It will take years."',
        ['"We will rebuild," he said.', '"It will take years."'],
    ),
    (
        "english-us",
        "The U.S. Army left the base in 2010. The town suffered.",
        ["The U.S. Army left the base in 2010.", "The town suffered."],
    ),
]
