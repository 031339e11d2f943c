"""Multilingual phrase patterns for boilerplate lines (generic web furniture, no site names).

Patterns searched anywhere in many lines are built with ``searched_pattern``: behind a
lookahead on their first characters, which makes a search that fails much faster.
"""

from __future__ import annotations

import re

from generator.dump.fast_search import searched_pattern


def _words(*alternatives: str) -> str:
    """One regex alternation group of the given phrases."""
    return "(?:" + "|".join(alternatives) + ")"


_I = re.IGNORECASE

SKIP_LINK = re.compile(
    r"^(?:skip|jump|go)\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|menu|search|footer|"
    r"article|text|(?:list|recipe|comments|reviews?|top|bottom)\b)|^passer\s+(?:au|à\s+la)\s+(?:contenu|navigation|recherche)|^aller\s+au\s+contenu|"
    r"^(?:direkt\s+)?zum\s+(?:inhalt|hauptinhalt|menü|seiteninhalt)|^inhalt\s+springen|"
    r"^(?:saltar|ir)\s+al?\s+(?:contenido|navegación)|^(?:vai|salta)\s+al\s+contenuto|"
    r"^(?:ir|saltar|pular)\s+para\s+o\s+(?:conteúdo|menu)|^(?:ga\s+)?naar\s+(?:de\s+)?(?:inhoud|hoofdinhoud)|"
    r"^przejdź\s+do\s+(?:treści|zawartości|menu)|^перейти\s+к\s+(?:содержимому|содержанию|основному)|"
    r"^skip\s+(?:navigation|to\s+content)|^本文へ(?:スキップ|移動)|^跳(?:至|到)(?:主要)?内容",
    _I,
)

COMMENT_WORD = _words(
    r"comments?", r"commentaires?", r"kommentare?", r"comentarios?", r"commenti", r"commento",
    r"comentários?", r"reacties?", r"reactie", r"komentarz[ey]?", r"komentarzy",
    r"комментари[йяев]", r"комментарии", r"responses?", r"replies", r"réponses?", r"antworten",
    r"respuestas?", r"risposte", r"respostas?", r"opinie", r"odpowiedzi", r"thoughts? on",
    r"reviews?", r"コメント", r"评论", r"評論", r"留言",
)  # fmt: skip

COMMENT_COUNT = re.compile(
    rf"^[({{\[]?\s*(?:\d[\d\s.,]*|no|one|two|three|aucun|un|kein[e]?|sin|nessun)\s*"
    rf"(?:[^\W\d_]+\s+)?{COMMENT_WORD}\b.{{0,80}}$|"
    rf"^(?:[^\W\d_]+\s+)?{COMMENT_WORD}\s*[(\[:]?\s*\d+\s*[)\]]?\s*$|^{COMMENT_WORD}\s*$",
    _I,
)

LEAVE_REPLY = re.compile(
    r"^(?:leave|post|add|write|submit)\s+(?:a|your|new)?\s*(?:reply|comment|response)|"
    r"^(?:laisser|laissez|ajouter|écrire|poster)\s+(?:un|votre)\s+(?:commentaire|réponse)|"
    r"^(?:schreibe|hinterlasse|verfasse)\s+(?:einen|deinen|ihren)\s+(?:kommentar|antwort)|"
    r"^kommentar\s+(?:schreiben|verfassen|hinzufügen)|"
    r"^(?:deja|dejar|escribe|añadir|publicar)\s+(?:un|tu|su)\s+(?:comentario|respuesta)|"
    r"^(?:lascia|lasciare|scrivi|aggiungi)\s+(?:un|il\s+tuo)\s+(?:commento|risposta)|"
    r"^(?:deixe|deixar|escreva|adicione)\s+(?:um|seu|o\s+seu)\s+(?:comentário|resposta)|"
    r"^(?:geef|laat|plaats)\s+(?:een|je|uw)\s+(?:reactie|commentaar)|"
    r"^(?:dodaj|napisz|zostaw)\s+(?:komentarz|odpowiedź)|^(?:оставить|добавить|написать)\s+"
    r"комментарий|^(?:join|start)\s+the\s+(?:discussion|conversation)|"
    r"^(?:what\s+do\s+you\s+think|was\s+denkst\s+du|was\s+meinen\s+sie|vos\s+réactions|"
    r"votre\s+avis|ihre\s+meinung|deine\s+meinung|tu\s+opinión|su\s+opinión|"
    r"la\s+tua\s+opinione|sua\s+opinião)\s*[?:!]?$|"
    r"^(?:to\s+(?:post\s+a\s+)?comment|para\s+comentar|pour\s+commenter|um\s+(?:zu\s+)?"
    r"kommentieren|per\s+commentare)\b",
    _I,
)

COMMENTS_CLOSED = searched_pattern(
    r"comments?\s+(?:are|is)\s+(?:now\s+)?closed|commenting\s+(?:is\s+)?(?:closed|disabled)|"
    r"commentaires?\s+(?:sont|est)\s+(?:fermés?|clos)|kommentare?\s+(?:sind|ist)\s+"
    r"(?:geschlossen|deaktiviert)|kommentarfunktion\s+ist\s+(?:geschlossen|deaktiviert)|"
    r"comentarios?\s+(?:están|está)\s+(?:cerrados?|desactivados?)|commenti\s+(?:sono\s+)?chiusi|"
    r"comentários?\s+(?:estão|está)\s+(?:fechados?|encerrados?)|reacties\s+(?:zijn\s+)?gesloten|"
    r"komentarze\s+(?:są\s+)?(?:zamknięte|wyłączone)|комментарии\s+(?:закрыты|отключены)",
    _I,
)

COMMENT_ACTION = re.compile(
    r"^(?:reply|répondre|antworten|responder|rispondi|responda|beantwoorden|odpowiedz|ответить|"
    r"report|signaler|melden|like|j'aime|gefällt mir|me gusta|mi piace|curtir|quote|citer|"
    r"zitieren|permalink|edit|flag|share|upvote|downvote|reply\s*↓|log\s+in\s+to\s+reply)"
    r"\s*[↓↩]?\s*(?:\(\d+\))?$",
    _I,
)

COOKIE = searched_pattern(
    r"\bcookies?\b.*\b(?:use|using|uses|accept|consent|agree|utilis\w*|accept\w*|verwend\w*|"
    r"akzept\w*|zustimm\w*|nutz\w*|usamos|utilizamos|acept\w*|utilizz\w*|accett\w*|usamos|"
    r"aceit\w*|gebruik\w*|akcept\w*|używa\w*|использ\w*|privacy|datenschutz|confidentialité)|"
    r"^(?:accept|reject|decline)\s+(?:all\s+)?cookies?$|^cookie\s+(?:settings|policy|preferences)$",
    _I,
)

NEWSLETTER = searched_pattern(
    r"\b(?:subscribe|sign\s+up|signup|abonnez|inscrivez|abonnieren|anmelden|suscr[ií]b\w*|"
    r"iscriviti|assine|inscreva|aanmelden|abonneer|zapisz\s+się|subskryb\w*|подпиш\w*)\b.*"
    r"\b(?:newsletter\w*|inbox|e-?mail\w*|google\s+\w+|updates|news|notifications?|"
    r"boletín|infolettre|nieuwsbrief|рассылк\w*)|"
    r"\b(?:receive|get)\b.{0,40}\b(?:inbox|e-?mails?)\b|\bsend\s+me\s+(?:an\s+)?e-?mails?\b|"
    r"\bwe(?:'ll|\s+will)?\s+send\s+(?:you\s+)?(?:an?\s+)?(?:\w+\s+)?(?:e-?mail|newsletter)\b|"
    r"\b(?:newsletter\w*|infolettre|nieuwsbrief)\b.*\b(?:subscribe|sign\s+up|abonnez|"
    r"inscri\w*|abonnier\w*|suscr\w*|iscriv\w*|assin\w*|inscrev\w*|aanmeld\w*|zapisz\w*|"
    r"an\b)|\bsubskrypcj\w*|\bmelden\s+sie\s+sich\b.*\bnewsletter|"
    r"^(?:get|join|sign\s+up\s+for)\s+(?:the|our)\s+.{0,40}\bnewsletter\b",
    _I,
)

SHARE = re.compile(
    r"^(?:share|partager|teilen|compartir|condividi|compartilhar|partilhar|delen|udostępnij|"
    r"поделиться|tweet|pin\s+it)\b(?:\s+(?:this|on|the|article|post|story|cet\s+article|"
    r"l'article|artikel|via|auf|en|su|no|op|na|article:?|[a-zé]+:?)){0,4}\s*[:!]?\s*$|"
    r"^(?:(?:facebook|twitter|x|linkedin|pinterest|whatsapp|telegram|reddit|e-?mail|email|"
    r"print|imprimer|drucken|mail|copy\s+link|flipboard|messenger|tumblr|xing|bluesky|threads|"
    r"instagram|youtube|tiktok|rss)[\s,|/·•]*){1,12}$|"
    r"^(?:\w+\s+){1,2}(?:teilen|share|partager|compartir|condividi|compartilhar|delen|"
    r"udostępnij|поделиться)\s*:?$|"
    r"^(?:follow\s+us|folgen\s+sie\s+uns|folgt\s+uns|folge\s+uns|suivez[- ]nous|síguenos|"
    r"seguici|siga-nos|sigam-nos|volg\s+ons|obserwuj\s+nas)\b.{0,40}$",
    _I,
)

FOOTER = searched_pattern(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|all\s+rights\s+reserved|tous\s+droits\s+réservés|"
    r"alle\s+rechte\s+vorbehalten|todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+"
    r"riservati|todos\s+os\s+direitos\s+reservados|alle\s+rechten\s+voorbehouden|"
    r"wszelkie\s+prawa\s+zastrzeżone|chronion\w+\s+prawem\s+autorskim|"
    r"urheberrechtlich\s+geschützt|derechos\s+de\s+autor|droits\s+d'auteur|все\s+права\s+защищены|personal,?\s+non-commercial\s+use|^(?:privacy\s+policy|terms\s+of\s+"
    r"(?:use|service)|impressum|datenschutz\w*|mentions\s+légales|aviso\s+legal|"
    r"política\s+de\s+privacidad|informativa\s+(?:sulla\s+)?privacy|powered\s+by\b)",
    _I,
)

ADVERT = re.compile(
    r"^(?:advertisement|advertising|sponsored(?:\s+content)?|ad|ads|anzeige|werbung|publicité|"
    r"publicidad|pubblicità|publicidade|advertentie|reklama|реклама|广告|広告|"
    r"story\s+continues\s+below(?:\s+advertisement)?|article\s+continues\s+below(?:\s+this\s+ad)?"
    r"|continue\s+reading\s+below)\s*:?$",
    _I,
)

READ_MORE = re.compile(
    r"^(?:read\s+more|read\s+the\s+rest|continue\s+reading|read\s+also|see\s+also|related(?:\s+(?:articles?|"
    r"posts?|stories|content|reading))?|more\s+(?:from|on|stories|news|articles)|you\s+may\s+also"
    r"\s+like|you\s+might\s+also\s+like|recommended(?:\s+for\s+you|\s+(?:articles?|stories|posts|reading|links|content))?(?=\s*(?:[:|»›]|$))|most\s+(?:read|popular|"
    r"viewed)|trending|lire\s+(?:aussi|la\s+suite|plus)|à\s+lire\s+aussi|voir\s+aussi|"
    r"sur\s+le\s+même\s+sujet|weiterlesen|mehr\s+zum\s+thema|lesen\s+sie\s+(?:auch|mehr)|"
    r"das\s+könnte\s+sie\s+auch\s+interessieren|leer\s+más|lee\s+también|te\s+puede\s+interesar|"
    r"noticias\s+relacionadas|otras\s+noticias|más\s+noticias|(?:l[ée]a|le[ée])\s+(?:también|más|además)|"
    r"l[ée]a(?=\s*:)|puedes\s+ver(?=\s*:)|vea\s+(?:también|más)|ver\s+(?:también|más)|mira\s+también|infórmate\s+más|"
    r"informate\s+más|video\s+recomendado|recommended\s+videos?|neueste\s+artikel|"
    r"weitere\s+(?:artikel|informationen|nachrichten|beiträge|themen)|ähnliche\s+artikel|"
    r"relacionad[oa]s|(?:noticias|notas|artículos|matérias|notícias)\s+relacionad[oa]s|"
    r"saiba\s+mais|segu[ií]\s+leyendo|sigue\s+leyendo|te\s+recomendamos|"
    r"lo\s+m[aá]s\s+(?:visto|le[ií]do)|mais\s+lidas|(?:você\s+)?também\s+pode\s+gostar|"
    r"articles?\s+(?:en\s+relation|similaires|connexes|li[ée]s)|aller\s+plus\s+loin|"
    r"(?:previous|next)\s+(?:article|post|story)|article\s+(?:précédent|suivant)|"
    r"(?:vorheriger|nächster)\s+(?:artikel|beitrag)|artículo\s+(?:anterior|siguiente)|"
    r"(?:poprzedni|następny)\s+(?:artykuł|wpis)|meist\s*gelesen\w*|beliebteste\s+artikel|"
    r"explore\s+further|further\s+reading|continua\s+a\s+leggere|leggi\s+(?:anche|tutto)|leia\s+(?:também|"
    r"mais)|veja\s+também|lees\s+(?:ook|meer)|czytaj\s+(?:też|także|więcej)|zobacz\s+(?:też|"
    r"także)|читайте\s+также|читать\s+далее|související|související\s+články)\b.{0,100}$",
    _I,
)

DISCLAIMER_LABEL = re.compile(
    r"^(?:disclaimer|risk\s+(?:disclosure|warning)|risikohinweis|haftungsausschluss|"
    r"avertissement|aviso\s+legal|descargo\s+de\s+responsabilidad|esclusione\s+di\s+"
    r"responsabilità|isenção\s+de\s+responsabilidade|vrijwaring|zastrzeżenie)\s*:",
    _I,
)
DISCLAIMER_CUES = (
    "advice", "informational", "past performance", "at risk", "beratung", "informationszwecken",
    "conseil", "passée", "asesoramiento", "consulenza", "recomendação", "aconselhamento",
    "advies", "porady", "rekomendacji", "acceptance", "necessarily", "n'engagent", "meinung",
    "necesariamente", "necessariamente", "odzwierciedlać",
)  # fmt: skip
"""Lower-case words one of which every DISCLAIMER phrase holds: a cheap test first."""
DISCLAIMER = re.compile(
    r"\bnot\s+(?:intended\s+as\s+|to\s+be\s+(?:construed|taken)\s+as\s+)?(?:financial|"
    r"investment|medical|legal|tax)\s+advice\b|\bfor\s+(?:general\s+)?informational\s+purposes"
    r"\s+only\b|\bpast\s+performance\s+(?:is\s+not|does\s+not)|\bcapital\s+(?:is\s+)?at\s+"
    r"risk\b|\bkeine\s+(?:anlage|steuer|rechts)beratung\b|\b(?:nur|ausschließlich)\s+zu\s+"
    r"informationszwecken\b|\bne\s+constitue(?:nt)?\s+pas\s+un\s+conseil\b|\bperformances?"
    r"\s+passées?\s+ne\s+(?:préjuge|préjugent|présage|garanti)|\bno\s+constituye\s+(?:un\s+)?"
    r"asesoramiento\b|\bnon\s+costituisce\s+(?:una\s+)?consulenza\b|\bnão\s+constitui\s+"
    r"(?:uma\s+)?(?:recomendação|aconselhamento)\b|\bgeen\s+(?:beleggings|financieel\s+)advies\b|"
    r"\bnie\s+stanowi\s+(?:porady|rekomendacji)\b|\bconstitutes\s+acceptance\s+of\b|"
    r"\bdo(?:es)?\s+not\s+necessarily\s+(?:reflect|represent)\b|\bn'engagent\s+que\b|"
    r"\bgeben\s+nicht\s+(?:unbedingt|notwendigerweise)\s+die\s+meinung\b|"
    r"\bno\s+reflejan?\s+necesariamente\b|\bnon\s+riflettono\s+necessariamente\b|"
    r"\bnão\s+refletem\s+necessariamente\b|\bnie\s+muszą\s+odzwierciedlać\b",
    _I,
)
"""A disclaimer phrase: "not financial advice", "past performance is not..."."""

AFFILIATE = searched_pattern(
    r"\b(?:may|might|will|we|i)\s+(?:earn|receive|get|make)\s+(?:an?\s+)?(?:small\s+)?"
    r"(?:affiliate\s+)?commissions?\b|\bcontains?\s+affiliate\s+links?\b|"
    r"\bamazon\s+associate\b|\bqualifying\s+purchases\b|"
    r"\bindependently\s+(?:review|select|research|test|chose|chosen)\w*\b|"
    r"\baffiliate-links?\b|\b(?:erhalten|bekommen)\s+wir\s+(?:eine\s+)?(?:kleine\s+)?provision|"
    r"\bliens?\s+(?:d'affiliation|affiliés?)\b|\b(?:percevoir|toucher|touchons|percevons)\s+"
    r"une\s+(?:petite\s+)?commission|\benlaces?\s+de\s+afiliad[oa]s?\b|"
    r"\b(?:recibir|ganar|recibimos|ganamos)\s+una\s+(?:pequeña\s+)?comisión|"
    r"\blink\s+di\s+affiliazione\b|\b(?:ricevere|riceviamo)\s+una\s+(?:piccola\s+)?commissione|"
    r"\blinks?\s+de\s+afiliad[oa]s?\b|\b(?:receber|recebemos)\s+uma\s+(?:pequena\s+)?comissão|"
    r"\b(?:ontvangen|krijgen)\s+(?:wij|we)\s+(?:een\s+)?(?:kleine\s+)?commissie|"
    r"\blinki?\s+afiliacyjn\w*|\b(?:otrzymujemy|otrzymać)\s+(?:niewielką\s+)?prowizję",
    _I,
)
"""An affiliate disclosure: "we may earn a commission", "contains affiliate links"."""

SOCIAL_NETWORK = searched_pattern(
    r"\b(?:youtube|telegram|whatsapp|instagram|tiktok|facebook|twitter|linkedin|pinterest|"
    r"google\s+news|podcast)\b",
    _I,
)
SOCIAL_PLACE = re.compile(
    r"\b(?:our|nuestr[oa]s?|unser\w*|notre|nos|nostr[oaie]|noss[oa]s?|ons|onze|nasz\w*)\s+"
    r"(?:\w+\s+){0,2}(?:channel|canal|kanal|chaîne|canale|group|grupo|gruppe|groupe|gruppo|grupa|page|"
    r"página|seite|pagina|strona|account|cuenta|konto|compte|profile?|perfil|profil)\b",
    _I,
)
"""With SOCIAL_NETWORK: a plug for the site's own channel ("our YouTube channel", "nuestro
canal de YouTube")."""

PREV_NEXT = re.compile(
    r"^(?:(?:previous|next|older|newer)\s+(?:article|post|story|entry)|"
    r"article\s+(?:pr[ée]c[ée]dent|suivant)|(?:vorheriger|nächster)\s+(?:artikel|beitrag)|"
    r"artículo\s+(?:anterior|siguiente)|articolo\s+(?:precedente|successivo)|"
    r"artigo\s+(?:anterior|seguinte)|(?:vorig|volgend)\s+artikel|"
    r"(?:poprzedni|następny)\s+(?:artykuł|wpis))\b",
    _I,
)
"""A link to the previous or next article, with that article's headline after it."""

IMAGE_CREDIT = searched_pattern(
    r"^(?:photo|image|picture|foto|bild|imagen|immagine|imagem|zdjęcie|фото|credit|source|"
    r"crédit|quelle|fuente|fonte|bron|źródło|illustration)s?\s*(?:credit)?\s*[:©]|"
    r"[|/]\s*(?:photo|foto|image|bild|credit|crédit)s?\s*:|\((?:photo|image|foto|picture)s?"
    r"\s*(?:by|:|credit)|^(?:getty\s+images|shutterstock|istock|reuters|afp|ap\s+photo)\b.{0,40}$|"
    r"\(\s*(?:crédito|créditos|crédit|credit|foto|fotos|photo|fot\.)\s*:|"
    r"\b(?:photo|photograph|foto|fotografía|imagen|image|bild|crédito|crédit|credit|fot\.)s?"
    r"\s*:\s*[^.:!?]{2,60}\)?$|"
    r"^(?:beitragsbild|titelbild|symbolbild|aufmacherbild|bildquelle|bildnachweis)\s*:|"
    r"\bcc[- ](?:by|0)(?:[- ](?:sa|nc|nd))*(?:[- ]?\d\.\d)?\s*\)?$|"
    r"/\s*(?:reuters|afp|ap|getty\s+images|dpa|epa|efe|ansa)(?:\s+files?)?\s*\)?$",
    _I,
)

TAGS = re.compile(
    r"^(?:tags?|tagged(?:\s+with)?|getaggt\s+mit|verschlagwortet(?:\s+mit)?|topics?|filed\s+under|categor(?:y|ies)|étiquettes?|"
    r"mots[- ]clés|schlagwörter|schlagworte|themen|etiquetas|temas|argomenti|etichette|"
    r"tag|tagi|tematy|теги|метки)\s*:",
    _I,
)

HOME = re.compile(
    r"^(?:home|homepage|start|accueil|startseite|inicio|portada|início|strona\s+główna|"
    r"главная|首页|ホーム)$",
    _I,
)

TRAIL_SEPARATOR = re.compile(r"\s*[›»>/|·]\s*")

DATE = searched_pattern(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}\.?\s+(?:de\s+)?[a-zäéèûôíóúç]{3,10}\.?\s+(?:de\s+)?\d{4}|"
    r"[a-zäéèûôíóúç]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}年\d{1,2}月\d{1,2}日|"
    r"\d{1,2}:\d{2}\s*(?:am|pm|uhr|h)?|(?:before|vor|il\s+y\s+a|hace|fa|há|geleden|temu|назад)"
    r"\s+\d+|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)",
    _I,
)

BYLINE = re.compile(
    r"^(?:by|par|von|por|di|da|door|przez|автор|written\s+by|posted\s+by|publié\s+par|"
    r"geschrieben\s+von|escrito\s+por|scritto\s+da|texto|text|autor|author|auteur|autore)"
    r"\s*:?\s+(\S.{1,60}?)(?:\s*(?:[,|·•–—-]|\bon\b|\ble\b|\bam\b|\bel\b|\bil\b|\bem\b|\bop\b)"
    r".*)?$",
    _I,
)

BYLINE_TAIL = re.compile(
    r"^(?:published|posted|updated|publié|mis\s+à\s+jour|veröffentlicht|publicado|"
    r"actualizado|pubblicato|aggiornato|atualizado|gepubliceerd|opublikowano)\b.*"
    r"\b(?:by|par|von|por|di|da|door|przez)\s+((?:[A-ZÀ-ÖØ-Þ][\w.'-]+\s*){1,4})$",
    _I,
)

FEEDBACK = re.compile(
    r"^(?:rate\s+this\s+(?:article|post|story|page)|was\s+this\s+(?:article|page|post)\s+"
    r"helpful|valora\s+(?:esta|este)\s+\w+|bewerten\s+sie\s+\w+|wie\s+gefällt\s+ihnen|"
    r"notez\s+cet\s+article|cet\s+article\s+vous\s+a-t-il|vota\s+questo|avalie\s+\w+|"
    r"print(?:\s+this)?(?:\s+article|\s+page)?|text\s*size|font\s*size|a\+\s*a-?)\b.{0,60}$",
    _I,
)

BROWSER_NOTICE = searched_pattern(
    r"best\s+viewed\s+(?:in|with)|(?:enable|activate|turn\s+on)\s+javascript|javascript\s+"
    r"(?:is\s+)?(?:disabled|required|must\s+be\s+enabled)|(?:update|upgrade)\s+your\s+browser|"
    r"your\s+browser\s+(?:is\s+out\s+of\s+date|does\s+not\s+support)|"
    r"javascript\s+(?:aktivieren|deaktiviert)|activez\s+javascript|activa\s+javascript|"
    r"benachrichtigung\w*\s+(?:aktivier\w*|erlauben)|(?:enable|allow|turn\s+on)\s+"
    r"(?:push\s+)?notifications|activer\s+les\s+notifications|activar\s+(?:las\s+)?notificaciones",
    _I,
)

CALL_TO_ACTION = searched_pattern(
    r"\bfree[- ]trial\b|\bget\s+started\b|\b(?:book|request|get|schedule)\s+a\s+(?:free\s+)?"
    r"(?:demo|quote|consultation)\b|\btry\s+(?:it\s+)?(?:for\s+)?free\b|\bstart\s+(?:your\s+)?"
    r"free\b|\b(?:download|get)\s+(?:the|our)\s+app\b|\b(?:shop|buy|order|subscribe)\s+now\b|"
    r"\bjetzt\s+(?:kaufen|bestellen|abonnieren|testen)\b|\bessai\s+gratuit\b|"
    r"\bprueba\s+gratis\b|\bprova\s+gratuita\b|\bteste\s+grátis\b",
    _I,
)

CATEGORY_LIST = re.compile(
    r"^(?:posted\s+in|filed\s+in|in)\s+[^,.!?]{1,40}(?:,\s*[^,.!?]{1,40}){2,}$", _I
)

URL = re.compile(r"^(?:https?://|www\.)\S+$", _I)

LOGIN = re.compile(
    r"^(?:log\s*in|sign\s*in|sign\s*up|register|log\s*out|sign\s*out|my\s+account|se\s+connecter|"
    r"connexion|s'inscrire|anmelden|registrieren|abmelden|iniciar\s+sesión|registrarse|accedi|"
    r"registrati|entrar|cadastre-se|inloggen|registreren|zaloguj(?:\s+się)?|zarejestruj(?:\s+się)?|"
    r"войти|регистрация|search|suche|rechercher|buscar|cerca|pesquisar|zoeken|szukaj|поиск|"
    r"menu|close|fermer|schließen|cerrar|chiudi|fechar|sluiten|zamknij|закрыть|back\s+to\s+top|"
    r"retour\s+en\s+haut|nach\s+oben|volver\s+arriba|torna\s+su)\s*[:›»>]?$",
    _I,
)

CONSENT = re.compile(
    r"^(?:ja,?\s+|yes,?\s+|oui,?\s+|sí,?\s+)?(?:ich\s+(?:habe|bin|willige|stimme|akzeptiere)|"
    r"i\s+(?:have\s+read|agree|consent|accept)|j'accepte|j'ai\s+lu|je\s+consens|acepto|"
    r"he\s+leído|accetto|ho\s+letto|aceito|li\s+e|akceptuję|wyrażam\s+zgodę|ik\s+ga\s+akkoord)\b"
    r".*\b(?:datenschutz\w*|privacy|confidentialité|données|privacidad|datos|dati|dados|"
    r"einverstanden|terms|conditions|polityk\w*|danych|privacyverklaring)",
    _I,
)

AUTHOR_BOX = re.compile(
    r"^(?:about\s+the\s+author|(?:the\s+)?author|über\s+(?:den|die)\s+autor(?:in)?(?:/\s*die\s+"
    r"autorin)?|autor(?:in)?|à\s+propos\s+de\s+l'auteur|l'auteur|auteur|sobre\s+el\s+autor|"
    r"sobre\s+o\s+autor|l'autore|autore|o\s+autorze|об\s+авторе|over\s+de\s+auteur)\s*:?$",
    _I,
)

RIGHTS_NOTICE = searched_pattern(
    r"all\s+rights\s+reserved|tous\s+droits\s+réservés|alle\s+rechte\s+vorbehalten|"
    r"todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati|"
    r"todos\s+os\s+direitos\s+reservados|alle\s+rechten\s+voorbehouden|"
    r"wszelkie\s+prawa\s+zastrzeżone|все\s+права\s+защищены|"
    r"non-commercial\s+use\s+only|personal,?\s+non-commercial\s+use|chronion\w+\s+prawem\s+autorskim|"
    r"urheberrechtlich\s+geschützt",
    _I,
)
"""The legal phrases that mark even a long line as a footer (a reprint or rights notice)."""

READING_TIME = re.compile(
    r"^(?:(?:reading\s+time|read\s+time|temps\s+de\s+lecture|lecture|lesezeit|lesedauer"
    r"|tiempo\s+de\s+lectura|lectura|tempo\s+di\s+lettura|lettura|tempo\s+de\s+leitura"
    r"|leitura|leestijd|czas\s+czytania)\s*:?\s*(?:ca\.?\s*|~\s*)?\d+\s*(?:min|mins|minutes?"
    r"|minuten|minutos|minuti|minut)\.?"
    r"|(?:ca\.?\s*|~\s*)?\d+\s*(?:-|–)?\s*(?:min|mins|minutes?|minuten|minutos|minuti|minut)\.?"
    r"\s*(?:read|reading|de\s+lecture|lesezeit|lesedauer|de\s+lectura|di\s+lettura"
    r"|de\s+leitura|leestijd|czytania))$",
    re.IGNORECASE,
)
"""A reading-time line: "6 min read", "Lecture : 5 min", "5 Min. Lesezeit", "Lectura: 4 min"."""
