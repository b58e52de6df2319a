"""Hand-written documents of the evaluation set, in ``[[LABEL|value]]`` markup.

Run once to (re)write ``hand_written.jsonl``. Many are hard negatives: look-alikes with bad
checksums, ISBNs, versions, prices, private addresses, historic figures, companies, streets and
schools named after people, non-birth dates, generic mentions of health or religion.
"""

from __future__ import annotations

import json
from pathlib import Path

DOCS: list[dict[str, object]] = [
    {
        "lang": "fr",
        "genre": "forum",
        "marked": "Salut ! Pour ceux qui cherchaient le contact du traiteur : [[EMAIL|contact.traiteur [at] exemple [dot] fr]]. Sinon passez par Gwen, elle a le numéro. Moi je suis dispo samedi, on se retrouve devant la gare ?",
    },
    {
        "lang": "fr",
        "genre": "forum",
        "marked": "Bonsoir, le script plante avec Python 3.11.4 et numpy 1.26.0.1 sur ma machine (192.168.1.24). J'ai essayé la version 2.4.10.1 du paquet sans succès. Une idée ?",
    },
    {
        "lang": "fr",
        "genre": "presse",
        "marked": "Le général de Gaulle a lancé l'appel du 18 juin 1940 depuis Londres. Victor Hugo, Émile Zola et Jean Jaurès reposent au Panthéon, où Simone Veil est entrée en 2018. Une exposition leur est consacrée jusqu'au 30/09/2024.",
    },
    {
        "lang": "fr",
        "genre": "commerce",
        "marked": "Promo : le parfum Christian Dior à 89,90 € au lieu de 112 €, le sac Louis Vuitton d'occasion à 1 250 €. Livres : « Les Misérables » (ISBN 978-2-07-040850-4), 12,50 €. Code promo : ETE2024.",
    },
    {
        "lang": "fr",
        "genre": "administration",
        "marked": "Rendez-vous à la mairie, [[ADDRESS|1 place de l'Hôtel de Ville]], pour retirer votre carte d'électeur. Le lycée Jean Moulin et le collège Marie Curie seront fermés le lundi 3 juin pour les élections.",
    },
    {
        "lang": "fr",
        "genre": "courrier",
        "marked": "Madame, Monsieur, je soussigné [[PERSON|Gwendal Le Bihan]], né le [[DATE_OF_BIRTH|4 avril 1983]] à Quimper, demeurant [[ADDRESS|7 rue de Siam, 29200 Brest]], atteste sur l'honneur l'exactitude des informations fournies.",
    },
    {
        "lang": "fr",
        "genre": "secu",
        "marked": "Numéro de sécurité sociale de l'assuré né en Corse : [[FR_NIR|1 82 07 2A 051 234 72]]. Pour sa fille : [[FR_NIR|2 91 10 2B 010 456 82]]. Ancien numéro erroné : 1 82 07 2A 051 234 73.",
    },
    {
        "lang": "fr",
        "genre": "entreprise",
        "marked": "Société anonyme au capital de 1 000 000 €, RCS Paris [[FR_SIREN|552 100 554]]. Établissement secondaire, SIRET [[FR_SIRET|443 061 841 00047]]. TVA intracommunautaire à demander au service comptable.",
    },
    {
        "lang": "fr",
        "genre": "tech",
        "marked": "Les DNS publics utilisés sont [[IP_ADDRESS|9.9.9.9]] et [[IP_ADDRESS|1.1.1.1]] ; le routeur est en 10.0.0.1 et l'adresse de documentation 203.0.113.7 ne doit jamais apparaître en production. IPv6 : [[IP_ADDRESS|2001:4860:4860::8888]], et fe80::1 en local.",
    },
    {
        "lang": "fr",
        "genre": "paiement",
        "marked": "Numéros de test à ne pas confondre : 4111 1111 1111 1112 (invalide) et 1234 5678 9012 3456. La carte du client, elle, est la [[CREDIT_CARD|4012 8888 8888 1881]].",
    },
    {
        "lang": "fr",
        "genre": "sante_public",
        "marked": "La semaine de prévention du diabète commence lundi. Les hôpitaux de la région proposent un dépistage gratuit ; la cathédrale accueille une exposition sur l'histoire de la médecine. La politique de santé publique sera débattue au conseil régional.",
    },
    {
        "lang": "fr",
        "genre": "temoignage",
        "marked": "Ma voisine [[PERSON|Maïwenn Quéré]] est enceinte de son troisième enfant ; elle m'a demandé de garder ses deux aînés pendant son séjour à la maternité.",
        "sensitive": ["HEALTH"],
    },
    {
        "lang": "fr",
        "genre": "temoignage",
        "marked": "Mon frère est homosexuel et il a fait son coming out l'an dernier ; toute la famille l'a soutenu.",
        "sensitive": ["SEXUAL_ORIENTATION"],
    },
    {
        "lang": "fr",
        "genre": "annonce",
        "marked": "Vends canapé trois places 150 €, à venir chercher au [[ADDRESS|18 avenue Foch, 69006 Lyon]]. Demander [[PERSON|Mme Roussel]] ou appeler le [[PHONE|04 78 52 14 36]] (après 19 h).",
    },
    {
        "lang": "fr",
        "genre": "sport",
        "marked": "Résultats du semi-marathon : 1er en 1 h 04 min 12 s, 2e en 1 h 05 min 47 s. Les dossards 1042 à 1290 récupèrent leur médaille au stand 12. Prochaine édition le 06.04.2025.",
    },
    {
        "lang": "fr",
        "genre": "facture",
        "marked": "Total HT : 1 234,56 € ; TVA 20 % : 246,91 € ; total TTC : 1 481,47 €. Référence client 0123 4567 89. Échéance au 15/07/2024.",
    },
    {
        "lang": "fr",
        "genre": "contact",
        "marked": "Pour toute question, écrivez à [[EMAIL|service-client@exemple-boutique.fr]] ou appelez le [[PHONE|+33 1 44 55 66 77]]. Nos logos sont téléchargeables (logo@2x.png, banniere@3x.jpg).",
    },
    {
        "lang": "fr",
        "genre": "naissance",
        "marked": "[[PERSON|Lilou Marchand]], née le [[DATE_OF_BIRTH|12/09/2016]], est inscrite en CM1. L'école a été fondée le 01/09/1975 et rénovée en 2019.",
    },
    {
        "lang": "fr",
        "genre": "blog",
        "marked": "J'ai rencontré [[PERSON|Sophie Marceau]] hier au marché de Noël ! Enfin, une dame qui lui ressemblait beaucoup. Le marché est ouvert jusqu'au 24 décembre, entrée 3 €.",
    },
    {
        "lang": "fr",
        "genre": "politique",
        "marked": "Le débat sur la réforme des retraites a occupé l'Assemblée nationale toute la semaine. Les partis de gauche comme de droite ont déposé plus de 3 000 amendements.",
    },
    {
        "lang": "en",
        "genre": "forum",
        "marked": "Hey, the organiser's address is [[EMAIL|events (at) example (dot) org]]. Ask Pete if you need the venue details, he has them. See you at the station at 7?",
    },
    {
        "lang": "en",
        "genre": "forum",
        "marked": "The build fails on Ubuntu 22.04 with gcc 12.3.0 on my box (10.0.0.12). I also tried version 3.1.4.1 of the library, same error. Any ideas?",
    },
    {
        "lang": "en",
        "genre": "news",
        "marked": "Winston Churchill became prime minister in 1940. Isaac Newton and Charles Darwin are buried in Westminster Abbey, which welcomed 1.2 million visitors last year. An exhibition runs until 30/09/2024.",
    },
    {
        "lang": "en",
        "genre": "shop",
        "marked": "Sale: Hugo Boss suits from $299, Ralph Lauren polos $59.99, Calvin Klein jeans $89. Books: 'Pride and Prejudice' (ISBN 978-0-14-143951-8), $8.99. Promo code SUMMER24.",
    },
    {
        "lang": "en",
        "genre": "letter",
        "marked": "To whom it may concern, I, [[PERSON|Declan O'Sullivan]], born on [[DATE_OF_BIRTH|March 3, 1979]], of [[ADDRESS|14 Church Road, Bristol BS1 5TR]], confirm that the information given is correct.",
    },
    {
        "lang": "en",
        "genre": "bank",
        "marked": "Reference account for tests: [[IBAN|GB82 WEST 1234 5698 7654 32]]. The German partner uses [[IBAN|DE89 3704 0044 0532 0130 00]]. The account GB82 WEST 1234 5698 7654 33 is invalid and was rejected.",
    },
    {
        "lang": "en",
        "genre": "tech",
        "marked": "Public resolvers: [[IP_ADDRESS|8.8.8.8]] and [[IP_ADDRESS|208.67.222.222]]; the router is 192.168.0.1 and 198.51.100.23 is a documentation address. Loopback ::1 is local.",
    },
    {
        "lang": "en",
        "genre": "payment",
        "marked": "Do not confuse test numbers 4111 1111 1111 1112 (invalid) and 1234-5678-9012-3456 with the customer's card, [[CREDIT_CARD|5555-5555-5555-4444]], or the Amex [[CREDIT_CARD|3782 822463 10005]].",
    },
    {
        "lang": "en",
        "genre": "health_sector",
        "marked": "Diabetes awareness week starts on Monday. Local hospitals offer free screening, and the cathedral hosts an exhibition on the history of medicine. Health policy will be discussed at the council.",
    },
    {
        "lang": "en",
        "genre": "testimony",
        "marked": "My sister [[PERSON|Niamh Byrne]] is pregnant with her third child and asked me to look after the older two during her hospital stay.",
        "sensitive": ["HEALTH"],
    },
    {
        "lang": "en",
        "genre": "testimony",
        "marked": "My brother is gay and came out last year; the whole family supported him.",
        "sensitive": ["SEXUAL_ORIENTATION"],
    },
    {
        "lang": "en",
        "genre": "classified",
        "marked": "Sofa for sale, $150, pick up at [[ADDRESS|42 Maple Avenue, Portland, OR 97205]]. Ask for [[PERSON|Mrs Kaur]] or call [[PHONE|(503) 555-0187]] after 7pm.",
    },
    {
        "lang": "en",
        "genre": "sport",
        "marked": "Half-marathon results: 1st in 1:04:12, 2nd in 1:05:47. Bib numbers 1042 to 1290 collect medals at stand 12. Next edition on 06.04.2025.",
    },
    {
        "lang": "en",
        "genre": "invoice",
        "marked": "Subtotal: $1,234.56; tax 8.25%: $101.85; total: $1,336.41. Customer reference 0123 4567 89. Due 15/07/2024.",
    },
    {
        "lang": "en",
        "genre": "contact",
        "marked": "For any question write to [[EMAIL|support@example-shop.co.uk]] or call [[PHONE|+44 20 7946 0958]]. Our logos can be downloaded (logo@2x.png, banner@3x.jpg).",
    },
    {
        "lang": "en",
        "genre": "school",
        "marked": "[[PERSON|Aaliyah Johnson]], born on [[DATE_OF_BIRTH|12 September 2016]], is in Year 4. The school was founded on 01/09/1975 and refurbished in 2019.",
    },
    {
        "lang": "en",
        "genre": "politics",
        "marked": "Parliament debated the pension reform all week. Parties on the left and the right tabled more than 3,000 amendments.",
    },
    {
        "lang": "en",
        "genre": "religion_building",
        "marked": "The old Catholic church building on the square was restored in 2021 and the mosque next to the market opened a new library. Guided tours of both run on Sundays.",
    },
    {
        "lang": "en",
        "genre": "recipe",
        "marked": "Banana bread: mash 3 ripe bananas, mix with 250 g flour, 2 eggs and 100 g sugar. Bake at 175C for 55 minutes. Serves 10.",
    },
    {
        "lang": "fr",
        "genre": "recette",
        "marked": "Crêpes : 250 g de farine, 4 œufs, 50 cl de lait, une pincée de sel. Laisser reposer 1 h. Pour 15 crêpes environ.",
    },
]


def main() -> None:
    out = Path(__file__).with_name("hand_written.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for index, doc in enumerate(DOCS):
            fh.write(json.dumps({"id": f"hand-{index:03d}", **doc}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
