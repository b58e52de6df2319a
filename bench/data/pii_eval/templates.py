"""Document templates of the PII evaluation set: (genre, lang, text, special categories).

``{FIELD}`` in upper case is a labelled value (its span is ground truth); ``{field}`` in lower
case is a hard negative (look-alike that must not be reported). Templates without fields are
hand-written documents, many of them negatives on purpose.
"""

from __future__ import annotations

__all__ = ("TEMPLATES",)

Template = tuple[str, str, str, tuple[str, ...]]

TEMPLATES: tuple[Template, ...] = (
    # ------------------------------------------------------------------ French, with PII
    (
        "forum",
        "fr",
        "Bonjour à tous, je vends mon vélo de course (taille M) pour {price}. Il est en très bon état, révisé le mois dernier. Contactez-moi par courriel à {EMAIL} ou au {PHONE} après 18 h. Remise en main propre sur Lyon uniquement, pas d'envoi. Merci de ne pas me proposer d'échange.",
        (),
    ),
    (
        "annonce",
        "fr",
        "Particulier loue studio meublé de 22 m² au {ADDRESS}, proche métro. Loyer {price} charges comprises, libre au 1er septembre. Visites le samedi matin, demandez {PERSON} au {PHONE}. Dossier complet exigé (trois dernières fiches de paie).",
        (),
    ),
    (
        "mentions_legales",
        "fr",
        "Mentions légales. Le site est édité par la société Exemple Conseil SAS, au capital de 10 000 €, immatriculée au RCS de Nanterre sous le numéro SIREN {SIREN}, dont le siège est situé {ADDRESS}. Numéro SIRET : {SIRET}. Directeur de la publication : {PERSON}. Contact : {EMAIL}. Hébergement : OVH, {HOST_ADDRESS}.",
        (),
    ),
    (
        "cv",
        "fr",
        "Curriculum vitae. {PERSON}, née le {DOB}, demeurant {ADDRESS}. Téléphone : {PHONE}. Courriel : {EMAIL}. Expérience : cinq ans comme cheffe de projet chez un éditeur de logiciels, puis responsable qualité. Langues : anglais courant, espagnol intermédiaire. Centres d'intérêt : randonnée, photographie.",
        (),
    ),
    (
        "facture",
        "fr",
        "Facture n° {order} du 3 mars 2024. Client : {MR}, {ADDRESS}. Désignation : abonnement annuel, montant TTC {price}. Règlement par virement sur le compte IBAN {IBAN} (BIC AGRIFRPP). En cas de retard, une pénalité de 10 % sera appliquée.",
        (),
    ),
    (
        "secu",
        "fr",
        "Pour votre dossier de remboursement, merci de vérifier les informations suivantes : assuré {PERSON}, numéro de sécurité sociale {NIR}, né le {DOB}. Les pièces justificatives sont à envoyer à la caisse primaire avant la fin du mois.",
        (),
    ),
    (
        "paiement",
        "fr",
        "Bonjour, j'ai été débité deux fois pour la même commande ({order}). J'ai payé avec ma carte {CARD} le 12 janvier. Pouvez-vous vérifier et me rembourser ? Vous pouvez me joindre au {PHONE}. Cordialement, {PERSON}",
        (),
    ),
    (
        "support",
        "fr",
        "Ticket #4821 : échecs de connexion répétés sur le compte de {PERSON}. Les tentatives viennent de l'adresse {IP} (hors de France) ; le poste interne {private_ip} n'est pas en cause. Mot de passe réinitialisé, l'utilisatrice a été prévenue à {EMAIL}.",
        (),
    ),
    (
        "courriel",
        "fr",
        "Chère Madame, suite à notre échange téléphonique, je vous confirme le rendez-vous du 14 mai à 10 h. Pensez à apporter votre pièce d'identité. Bien cordialement, {PERSON}, conseillère clientèle, agence de Rennes, tél. {PHONE}, {EMAIL_OBF}",
        (),
    ),
    (
        "association",
        "fr",
        "L'association des parents d'élèves tiendra son assemblée générale le jeudi 9 octobre à 20 h dans la salle polyvalente. Les inscriptions se font auprès de {MR} ({EMAIL}) ou de {PERSON}. La cotisation annuelle reste fixée à 15 €.",
        (),
    ),
    (
        "temoignage",
        "fr",
        "Je m'appelle {PERSON}, j'ai 42 ans et je suis diabétique depuis l'enfance. Je voulais partager mon expérience avec la pompe à insuline : au début c'est contraignant, mais on s'y fait. N'hésitez pas à m'écrire : {EMAIL}.",
        ("HEALTH",),
    ),
    (
        "rh",
        "fr",
        "Note interne : {PERSON}, délégué syndical CGT, a demandé un entretien avec la direction au sujet des horaires. Merci de le recontacter au {PHONE} avant vendredi.",
        ("TRADE_UNION",),
    ),
    (
        "faits_divers",
        "fr",
        "Un homme de 35 ans, {PERSON}, a été condamné à deux ans de prison pour vol aggravé par le tribunal correctionnel. Il était domicilié {ADDRESS}.",
        ("CRIMINAL",),
    ),
    (
        "banque",
        "fr",
        "Pour le remboursement des frais de covoiturage, voici mon RIB : titulaire {PERSON}, IBAN {IBAN}. Ne pas utiliser l'ancien compte {bad_iban}, il est clôturé.",
        (),
    ),
    (
        "etat_civil",
        "fr",
        "Avis de naissance : {PERSON} et son épouse ont la joie d'annoncer la naissance de leur fille. Contact pour les faire-part : {EMAIL}, {PHONE}.",
        (),
    ),
    (
        "inscription",
        "fr",
        "Formulaire d'inscription au club de judo. Nom de l'enfant : {PERSON}. Date de naissance : {DOB}. Responsable légal : {MR}, joignable au {PHONE}. Adresse : {ADDRESS}.",
        (),
    ),
    (
        "artisan",
        "fr",
        "Plomberie Dupuis, entreprise individuelle, SIRET {SIRET}. Dépannage 7j/7 sur l'agglomération nantaise. Devis gratuit : {PHONE}. Intervention en moins de deux heures, paiement par carte accepté.",
        (),
    ),
    (
        "serveur",
        "fr",
        "Journal du pare-feu : 23 requêtes suspectes depuis {IP} entre 02:14 et 02:19, toutes bloquées. La passerelle {private_ip} et le serveur de sauvegarde répondent normalement. Mise à jour du micrologiciel en version {version} prévue demain.",
        (),
    ),
    # ------------------------------------------------------------------ French, negatives
    (
        "presse",
        "fr",
        "Il y a cent cinquante ans, {historic} publiait l'une de ses œuvres majeures. L'exposition qui ouvre au musée le 12/03/2024 retrace son parcours à travers 200 documents, dont des lettres inédites. Le billet coûte {price}; l'ouvrage de référence (ISBN {isbn}) est vendu à la boutique.",
        (),
    ),
    (
        "recette",
        "fr",
        "Tarte aux pommes : préchauffer le four à 180 °C. Étaler la pâte, disposer 6 pommes coupées en fines lamelles, saupoudrer de 50 g de sucre et enfourner 35 minutes. Pour 8 personnes, compter environ 1 h 15 de préparation et {price} d'ingrédients.",
        (),
    ),
    (
        "tech",
        "fr",
        "Notes de version {version} : correction d'un plantage au démarrage, amélioration des performances de 12 %. Le serveur de test écoute sur {private_ip}:8080 et la base sur 127.0.0.1:5432. Numéro de lot interne {bad_card}.",
        (),
    ),
    (
        "mode",
        "fr",
        "La maison {company} présente sa nouvelle collection printemps-été, inspirée des années 70. Le défilé aura lieu au Grand Palais le 14 mars ; les premières pièces seront disponibles en boutique dès avril, à partir de {price}.",
        (),
    ),
    (
        "sante_public",
        "fr",
        "Le secteur de la santé recrute : plus de 40 000 postes d'infirmiers sont à pourvoir selon le ministère. La recherche sur le cancer bénéficie d'un budget en hausse de 8 %, et l'église Saint-Pierre accueillera un concert caritatif.",
        (),
    ),
    (
        "commande",
        "fr",
        "Votre commande {order} a bien été expédiée. Numéro de suivi colis : {bad_nir}. Montant réglé : {price}. Référence article : {bad_card}. Livraison estimée sous 3 à 5 jours ouvrés.",
        (),
    ),
    (
        "histoire",
        "fr",
        "Né le 27 février 1802 à Besançon, l'écrivain a marqué son siècle. La maison de {historic}, place des Vosges, est aujourd'hui un musée. Le lycée {historic} de Paris porte également son nom.",
        (),
    ),
    (
        "sport",
        "fr",
        "Le club a remporté le match 3 à 1 samedi soir devant 12 500 spectateurs. Prochaine rencontre le 21/04 à 20 h 45. Les billets sont en vente au guichet et en ligne à partir de {price}.",
        (),
    ),
    # ------------------------------------------------------------------ English, with PII
    (
        "forum",
        "en",
        "Hi all, I'm selling my old road bike (54 cm frame) for {price}. It was serviced last month and has new tyres. Drop me a line at {EMAIL} or call {PHONE} after 6pm. Collection only, no shipping, sorry.",
        (),
    ),
    (
        "classified",
        "en",
        "Room to let in a quiet shared house at {ADDRESS}. Bills included, available from 1 September. Viewings on Saturday mornings, ask for {PERSON} on {PHONE}. References required.",
        (),
    ),
    (
        "cv",
        "en",
        "Resume. {PERSON}, date of birth: {DOB}. Address: {ADDRESS}. Phone: {PHONE}. Email: {EMAIL}. Experience: five years as a data analyst at a retail company, then team lead. Skills: SQL, Python, stakeholder management.",
        (),
    ),
    (
        "invoice",
        "en",
        "Invoice {order}. Bill to: {MR}, {ADDRESS}. Annual subscription, total due {price}. Please pay by bank transfer to IBAN {IBAN}. Late payments incur a 5% fee.",
        (),
    ),
    (
        "payment",
        "en",
        "Hello, I was charged twice for order {order}. I paid with my card {CARD} on January 12th. Could you look into it and refund me? You can reach me on {PHONE}. Kind regards, {PERSON}",
        (),
    ),
    (
        "support",
        "en",
        "Incident report: repeated failed logins on the account of {PERSON}. The attempts came from {IP}; the office gateway at {private_ip} is not involved. The password was reset and the user was notified at {EMAIL}.",
        (),
    ),
    (
        "signature",
        "en",
        "Dear Madam, following our phone call I confirm your appointment on May 14th at 10am. Please bring photo ID. Best regards, {PERSON}, Customer Advisor, Leeds branch, tel. {PHONE}, {EMAIL_OBF}",
        (),
    ),
    (
        "club",
        "en",
        "The parents' association will hold its annual meeting on Thursday 9 October at 8pm in the school hall. Sign up with {MR} ({EMAIL}) or with {PERSON}. The yearly fee stays at $15.",
        (),
    ),
    (
        "testimony",
        "en",
        "My name is {PERSON}, I'm 38 and I was diagnosed with depression two years ago. Therapy helped a lot and I want to share what worked for me. Feel free to write to {EMAIL}.",
        ("HEALTH",),
    ),
    (
        "hr",
        "en",
        "Internal memo: {PERSON}, who is a union rep for Unite, asked for a meeting about shift patterns. Please call back on {PHONE} before Friday.",
        ("TRADE_UNION",),
    ),
    (
        "court",
        "en",
        "A 35-year-old man, {PERSON}, was convicted of aggravated burglary and sentenced to two years. He lived at {ADDRESS}.",
        ("CRIMINAL",),
    ),
    (
        "registration",
        "en",
        "Junior football club registration. Child's name: {PERSON}. Born on {DOB}. Parent or guardian: {MR}, phone {PHONE}. Home address: {ADDRESS}.",
        (),
    ),
    (
        "bank",
        "en",
        "For the car-share costs, here are my bank details: account holder {PERSON}, IBAN {IBAN}. Please do not use my old account {bad_iban}, it has been closed.",
        (),
    ),
    (
        "firewall",
        "en",
        "Firewall log: 23 suspicious requests from {IP} between 02:14 and 02:19, all blocked. Gateway {private_ip} and the backup server respond normally. Firmware upgrade to version {version} scheduled tomorrow.",
        (),
    ),
    (
        "religion",
        "en",
        "{PERSON} told the reporter that he converted to Islam in 2015 and that his faith helped him through a difficult period. He can be reached at {EMAIL}.",
        ("RELIGION",),
    ),
    (
        "politics",
        "fr",
        "{PERSON}, militante écologiste depuis dix ans, explique qu'elle a voté pour la première fois à 18 ans. On peut la contacter au {PHONE}.",
        ("POLITICS",),
    ),
    # ------------------------------------------------------------------ English, negatives
    (
        "news",
        "en",
        "One hundred and fifty years ago, {historic} published one of the most influential works of the century. The exhibition opening at the museum on 12/03/2024 shows 200 documents, including unpublished letters. Tickets cost {price}; the companion book (ISBN {isbn}) is sold in the shop.",
        (),
    ),
    (
        "recipe",
        "en",
        "Apple pie: preheat the oven to 180C. Roll out the pastry, add 6 thinly sliced apples, sprinkle with 50 g of sugar and bake for 35 minutes. Serves 8, about 1 hour 15 minutes of work and {price} of ingredients.",
        (),
    ),
    (
        "changelog",
        "en",
        "Release notes for {version}: fixed a crash on start-up and improved performance by 12%. The staging server listens on {private_ip}:8080 and the database on 127.0.0.1:5432. Internal batch number {bad_card}.",
        (),
    ),
    (
        "fashion",
        "en",
        "{company} unveiled its spring-summer collection, inspired by the seventies. The show takes place in Paris on 14 March; the first pieces will be in stores from April, starting at {price}.",
        (),
    ),
    (
        "health_sector",
        "en",
        "The health sector is hiring: more than 40,000 nursing posts are open according to the ministry. Cancer research funding rose by 8%, and the old church building on the square will host a charity concert.",
        (),
    ),
    (
        "order",
        "en",
        "Your order {order} has shipped. Tracking number: {bad_nir}. Amount paid: {price}. Item reference: {bad_card}. Estimated delivery within 3 to 5 working days.",
        (),
    ),
    (
        "history",
        "en",
        "Born in 1809 in Kentucky, the future president taught himself law. The memorial to {historic} in Washington draws millions of visitors, and a school named after him opened in 1925.",
        (),
    ),
    (
        "sport",
        "en",
        "The club won 3-1 on Saturday night in front of 12,500 fans. The next game is on 21/04 at 8.45pm. Tickets are on sale at the box office and online from {price}.",
        (),
    ),
    (
        "science",
        "en",
        "The study followed 2,000 volunteers for ten years. Participants who walked more than 7,000 steps a day had a 30% lower risk of heart disease. The full paper (ISBN {isbn}) is available from the publisher.",
        (),
    ),
)
