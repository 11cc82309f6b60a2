"""Which language a comment is written in, as the evaluation page splits them:
English, Urdu script, Roman Urdu (Urdu in Latin letters), or a mix.

Script first: letters of the Arabic script against Latin letters. Latin text is
then English or Roman Urdu by its small words, which give a language away even in
a short comment full of borrowed words ("Yeh allegation bilkul false hai" is Roman
Urdu; "This is bilkul ghalat" is both). No model, no download: two word lists.
"""

from __future__ import annotations

import re
import unicodedata

ENGLISH = "en"
URDU = "ur"
ROMAN_URDU = "roman_ur"
MIXED = "mixed"

LANGUAGES: dict[str, str] = {
    ENGLISH: "English",
    URDU: "Urdu script",
    ROMAN_URDU: "Roman Urdu",
    MIXED: "Mixed",
}


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Words that are Urdu written in Latin letters and not English words. Left out on
# purpose because English uses them too: "to", "me", "main", "he", "in", "us", "do",
# "the", "is", "bus"; and the English words Urdu borrows ("committee", "court",
# "office"), which say nothing about the language around them.
ROMAN_URDU_WORDS = _words(
    """
    aaj aap aaqa ab abe abey abhi acha achay accha afsos agar aik aisa aise aisi ammi andar
    apna apne apni asal aukaat aur aurat auraton aurtein aurton baad baare baat bahar bahut
    baithay baitho bakwas bana band bare bas bata batao beghairat behen besharam beta beti
    bewakoof bhai bhi bilkul biwi bohat bohot boht bol bolo bura buri chahiye chahye chal
    chup daalo dafa daftar daleel dar dekh dekho di dia din diya dono dusre ehtaram ek faisla
    gadha gadhe gaya gaye gayi ghalat galat ghante ghar ghatiya haan hafte hai hain hamara
    hamare hamesha hamein haqeeqat hay hi hifazat ho hoga hogi hona hoon hota hote hoti hua
    hue hui hukumat hum humara humare humein ilaqe ilzaam insaaf inka inki inke iska iski iske
    izzat jaa jab jahil jaisa jaise jaisi jao jee ji jo jhoot jhoota jhooti kab kabhi kaha
    kahan kahani kaise kaam kal kameene kamayen kar karein karna karne karo karta karte karti
    ke kehna kehte khareedein khatoon khawateen khud ki kis kisi kitna kiya kiye ko koi kuch
    kutte kya kia kyun kyon kyunke kyunki lagta lagti larki larkiyon lekin li liye liya lo log
    logon lye maa magar maloom mat mehnat mein mera mere meri milengi mujhe mulk mulzim na ne
    nahi nahin nai nhi naukri nikal nikalo paise paison pagal par parh parhta parhti pata pe
    pehle phir qanoon qaum raat raha rahe rahi rehna rehti sab sabko saboot sach sahi sahiba
    saath sath saal sakta sakte sakti samajh sambhal se sharam sharm shikayat shukriya sirf
    suno tab tak tameez teen tera teri tere tha thay theek thi thik tum tumhara tumhare
    tumhari tumhe tumhein uska uski uske unhon unka unki unke wahan wajah wala wale wali warna
    wo woh wohi ya yaar yahan yahi ye yeh zaroori ziyadti zabardast zindabad
    """
)

# English's small words, and common verbs, pronouns and nouns that Urdu does not
# borrow, minus those Roman Urdu shares.
ENGLISH_WORDS = _words(
    """
    a about after again against all alone also always am an and anyone any are as at back
    bad be because been before being but by can cannot care cares could did does doesn done
    dont even ever every everyone everything few for from get gets go going good got great had
    has have her here him his home how i if into it its just knew know knows late let like
    listened live lives made make many may me might more most much must my need needs never
    no nobody not nothing now of off on only or other our out over own people please read
    real really right said same say says see she should so some someone something still stop
    such sure tell than thank thanks that the their them then there these they think this those
    though through tonight too until up us very want was way we well were what when where
    whether which while who whole why will with without woman women would yes yet you your
    """
)

_LATIN_WORD = re.compile(r"(?<!\w)[a-z]+(?!\w)")


def _script(ch: str) -> str:
    """The script of one letter: "arabic", "latin", or "" for any other."""
    code = ord(ch)
    if (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    ):
        return "arabic"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0xFF21 <= code <= 0xFF5A:
        return "latin"
    return ""


def language_of(text: str) -> str:
    """ENGLISH, URDU, ROMAN_URDU or MIXED.

    Urdu script when at least four in five letters are Arabic-script letters;
    mixed when they are more than one in seven or so. Latin text is Roman Urdu when its
    Roman Urdu small words outnumber its English ones three to one, English the
    other way round, and mixed in between. A text without letters is English (the
    site's default language)."""
    arabic = latin = 0
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            if script == "arabic":
                arabic += 1
            elif script == "latin":
                latin += 1
    letters = arabic + latin
    if not letters:
        return ENGLISH
    if arabic >= 0.8 * letters:
        return URDU
    if arabic >= 0.15 * letters:
        return MIXED
    folded = unicodedata.normalize("NFKD", text.casefold())
    words = _LATIN_WORD.findall(folded)
    roman = sum(1 for w in words if w in ROMAN_URDU_WORDS)
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    if roman == 0:
        return ENGLISH
    if english == 0:
        return ROMAN_URDU
    share = roman / (roman + english)
    if share >= 0.8:
        return ROMAN_URDU
    if share <= 0.2:
        return ENGLISH
    return MIXED
