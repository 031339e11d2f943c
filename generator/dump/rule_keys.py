"""Cheap gates for the furniture patterns: a rule's regex runs only when the line holds a
word that starts like one of its key words (4-letter prefixes, compared as sets)."""

from __future__ import annotations

PREFIX = 4
HEAD_WORDS = 3
"""Anchored patterns start within a line's first words; their keys are looked for there."""


def prefixes(*words: str) -> frozenset[str]:
    """The gate of a rule: the first letters of each key word, lower-cased."""
    return frozenset(word.lower()[:PREFIX] for word in words)


# fmt: off
SKIP = prefixes(
    "skip", "jump", "go", "passer", "aller", "direkt", "zum", "inhalt", "saltar", "ir", "vai",
    "salta", "pular", "ga", "naar", "przejdź", "перейти", "本", "跳"
)
CLOSED = prefixes(
    "closed", "fermés", "fermé", "clos", "geschlossen", "deaktiviert", "cerrados", "cerrado",
    "desactivados", "chiusi", "fechados", "encerrados", "gesloten", "zamknięte", "wyłączone",
    "закрыты", "отключены", "disabled"
)
COMMENT = prefixes(
    "comments", "commentaires", "kommentare", "comentarios", "commenti", "commento",
    "comentários", "reacties", "komentarze", "komentarzy", "комментарии", "responses",
    "replies", "réponses", "antworten", "respuestas", "risposte", "respostas", "opinie",
    "odpowiedzi", "thoughts", "reviews", "コ", "评", "評", "留"
)
FORM = prefixes(
    "reply", "comment", "response", "commentaire", "réponse", "kommentar", "antwort",
    "comentario", "respuesta", "commento", "risposta", "comentário", "resposta", "reactie",
    "commentaar", "komentarz", "odpowiedź", "комментарий", "discussion", "conversation",
    "think", "denkst", "meinen", "réactions", "avis", "meinung", "opinión", "opinione",
    "opinião",
    "to", "para", "pour", "um", "per"
)
COOKIE = prefixes("cookie", "cookies")
NEWSLETTER = prefixes(
    "newsletter", "subscribe", "sign", "signup", "abonnez", "inscrivez", "abonnieren",
    "anmelden", "suscríbete", "suscribir", "iscriviti", "assine", "inscreva", "aanmelden",
    "abonneer", "zapisz", "subskrybuj", "подпишитесь", "infolettre", "nieuwsbrief",
    "receive", "get", "send", "inbox", "email", "emails", "subskrypcji", "melden", "join"
)
SHARE = prefixes(
    "share", "partager", "teilen", "compartir", "condividi", "compartilhar", "partilhar",
    "delen", "udostępnij", "поделиться", "tweet", "pin", "facebook", "twitter", "x", "linkedin",
    "pinterest", "whatsapp", "telegram", "reddit", "e", "email", "mail", "print", "imprimer",
    "drucken", "copy", "flipboard", "messenger", "tumblr", "xing", "bluesky", "threads",
    "instagram", "youtube", "tiktok", "rss", "follow", "folgen", "folgt", "folge", "suivez",
    "síguenos", "seguici", "siga", "sigam", "volg", "obserwuj"
)
FOOTER = prefixes(
    "©", "c", "copyright", "rights", "droits", "rechte", "derechos", "diritti", "direitos",
    "rechten", "prawa", "права", "privacy", "terms", "impressum", "datenschutz", "mentions",
    "aviso", "política", "informativa", "powered", "personal", "non", "chronione",
    "urheberrechtlich"
)
ADVERT = prefixes(
    "advertisement", "advertising", "sponsored", "ad", "ads", "anzeige", "werbung", "publicité",
    "publicidad", "pubblicità", "publicidade", "advertentie", "reklama", "реклама", "广", "広",
    "story", "article", "continue"
)
READ_MORE = prefixes(
    "read", "continue", "see", "related", "more", "you", "recommended", "most", "trending",
    "lire", "à", "voir", "sur", "weiterlesen", "mehr", "lesen", "das", "leer", "lee", "te",
    "noticias", "continua", "leggi", "leia", "veja", "lees", "czytaj", "zobacz", "читайте",
    "читать", "související", "otras", "más", "lea", "léa", "leé", "vea", "ver", "mira", "infórmate",
    "informate", "video", "recommended", "neueste", "weitere", "ähnliche", "explore", "further",
    "relacionados", "noticias", "notas", "artículos", "matérias", "notícias", "saiba", "seguí",
    "sigue", "lo", "mais", "você", "também", "articles", "article", "aller", "previous", "next",
    "vorheriger", "nächster", "artículo", "poprzedni", "następny", "meistgelesen", "meist",
    "beliebteste"
)
DISCLAIMER = prefixes(
    "disclaimer", "haftungsausschluss", "avertissement", "aviso", "descargo", "esclusione",
    "isenção", "vrijwaring", "zastrzeżenie", "advice", "informational", "performance", "capital",
    "anlageberatung", "steuerberatung", "rechtsberatung", "informationszwecken", "conseil",
    "performances", "asesoramiento", "consulenza", "recomendação", "aconselhamento",
    "beleggingsadvies", "advies", "porady", "rekomendacji", "risk", "risikohinweis",
    "constitutes", "necessarily", "engagent", "unbedingt", "notwendigerweise", "necesariamente",
    "necessariamente", "odzwierciedlać"
)
AFFILIATE = prefixes(
    "commission", "commissions", "affiliate", "amazon", "qualifying", "independently",
    "affiliate-links", "provision", "liens", "lien", "enlaces", "enlace", "comisión", "link",
    "commissione", "links", "comissão", "commissie", "linki", "prowizję"
)
SOCIAL = prefixes(
    "youtube", "telegram", "whatsapp", "instagram", "tiktok", "facebook", "twitter", "linkedin",
    "pinterest", "google", "podcast"
)
PREV_NEXT = prefixes(
    "previous", "next", "older", "newer", "article", "vorheriger", "nächster", "artículo",
    "articolo", "artigo", "vorig", "volgend", "poprzedni", "następny"
)
CREDIT = prefixes(
    "photo", "photos", "image", "picture", "foto", "bild", "imagen", "immagine", "imagem",
    "zdjęcie", "фото", "credit", "source", "crédit", "quelle", "fuente", "fonte", "bron",
    "źródło", "illustration", "getty", "shutterstock", "istock", "reuters", "afp", "ap",
    "photograph", "fotografía", "créditos", "fot", "beitragsbild", "titelbild", "symbolbild",
    "aufmacherbild", "bildquelle", "bildnachweis", "cc", "dpa", "epa", "efe", "ansa"
)
TAGS = prefixes(
    "tags", "tagged", "topics", "filed", "category", "categories", "étiquettes", "mots",
    "schlagwörter", "themen", "etiquetas", "temas", "argomenti", "etichette", "tag", "tagi",
    "tematy", "теги", "метки", "getaggt", "verschlagwortet"
)
LOGIN = prefixes(
    "log", "login", "sign", "signin", "signup", "register", "logout", "my", "se", "connexion",
    "s", "anmelden", "registrieren", "abmelden", "iniciar", "registrarse", "accedi",
    "registrati", "entrar", "cadastre", "inloggen", "registreren", "zaloguj", "zarejestruj",
    "войти", "регистрация", "search", "suche", "rechercher", "buscar", "cerca", "pesquisar",
    "zoeken", "szukaj", "поиск", "menu", "close", "fermer", "schließen", "cerrar", "chiudi",
    "fechar", "sluiten", "zamknij", "закрыть", "back", "retour", "nach", "volver", "torna"
)
URL = prefixes("http", "https", "www")
FEEDBACK = prefixes(
    "rate", "was", "valora", "bewerten", "wie", "notez", "cet", "vota", "avalie", "print",
    "text", "font"
)
BROWSER = prefixes(
    "viewed", "javascript", "browser", "aktivieren", "activez", "activa", "benachrichtigung",
    "notifications", "notificaciones"
)
CATEGORY = prefixes("posted", "filed", "in")
ACTION = prefixes(
    "free", "trial", "started", "demo", "quote", "consultation", "try", "app", "now", "jetzt",
    "essai", "prueba", "prova", "teste"
)
CONSENT = prefixes(
    "ja", "yes", "oui", "sí", "ich", "i", "j'accepte", "j", "je", "acepto", "he", "accetto", "ho",
    "aceito", "li", "akceptuję", "wyrażam", "ik"
)
AUTHOR = prefixes(
    "about", "the", "author", "über", "autor", "autorin", "à", "l", "auteur", "sobre", "autore",
    "o", "об", "over"
)
# fmt: on
