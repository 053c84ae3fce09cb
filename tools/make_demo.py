"""Write resources/demo/metoo_demo.jsonl: a small fictional twarc2 archive on men and #MeToo, October 2017.

Every account and every post below is invented (see resources/demo/README.md). The posts are written out as
conversations in a small indented notation; this script gives them ids, entities, metrics and includes, and
lays them out the way twarc2 writes a hashtag search (``twarc2 search --archive``) followed by
``twarc2 conversations`` for the threads it found. The output is deterministic.

Notation of a conversation block (indent four spaces per reply level):

    @handle 2017-10-16 07:52 key=name lang=fr media=name quote=key deleted
    text lines, joined with spaces; a line holding only // starts a new paragraph
        @other +35
        a reply posted 35 minutes after its parent (+2h and +1d also work)

``{link:example.org/path}`` in a text becomes a t.co link. ``deleted`` marks a post removed before
collection: it is not written, replies to it keep pointing at it, and their pages carry an ``errors`` entry.

Run: ``python tools/make_demo.py [OUT]``.
"""

from __future__ import annotations

import json
import random
import re
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

OUT = Path(__file__).resolve().parents[1] / "resources" / "demo" / "metoo_demo.jsonl"
SEED = 20171015
TWITTER_EPOCH_MS = 1288834974657
PAGE_SIZE = 100
RT_CUT = 139
RETRIEVED = datetime(2022, 3, 8, 14, 2, 11, tzinfo=UTC)
TWARC_VERSION = "2.10.4"
SEARCH_TAGS = ["MeToo", "MenToo", "IHave", "HowIWillChange", "NotAllMen", "BalanceTonPorc", "MoiAussi",
               "YoTambién", "QuellaVoltaChe"]
FIELDS = {
    "expansions": "author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "entities.mentions.username,attachments.media_keys",
    "tweet.fields": "attachments,author_id,conversation_id,created_at,entities,id,in_reply_to_user_id,lang,"
    "public_metrics,possibly_sensitive,referenced_tweets,reply_settings,source,text",
    "user.fields": "created_at,description,id,location,name,profile_image_url,protected,public_metrics,url,"
    "username,verified",
    "media.fields": "alt_text,duration_ms,height,media_key,preview_image_url,type,url,width",
}
FICTIONAL = " · fictional account (Threadcoder demo)"

# handle | display name | profile description | location. All invented; handles are at most 15 characters.
USERS = """
harbour_tomas | Tomas Rell | Ferry engineer. Terrible gardener. | Portsmouth
ruth_alderney | Ruth Alderney | Counsellor. Tea. Listening for a living. | Leeds
nadia_k_writes | Nadia Karim | Writer, mostly about cities and the people in them. | Manchester
ironside_carl | Carl Ironside | Site engineer. Football. Opinions my own. | Derby
hollis_june | June Hollis | Librarian. Cat person. Believer in second chances. | Norwich
dev_marwood | Dev Marwood | Physio. Ex-rugby. Dog dad. | Cardiff
priya_mehta_cw | Priya Mehta | Community worker. She/her. | Leicester
jay_okonkwo_ | Jay Okonkwo | Secondary school teacher. Trying to say the hard things. | London
bluecollar_bry | Bryan Leck | Plasterer. Dad. Says it how it is. | Stoke
elin_sandqvist | Elin Sandqvist | Nurse, big sister, permanently tired. | Bristol
kofi_nightpages | Kofi Mensah-Rowe | Writes at night, works in logistics by day. | Birmingham
sneerwell_dave | Dave Sneerwell | Banter. | Essex
mariam_elamrani | Mariam El Amrani | Pharmacist. Rarely tweets, always reads. | Glasgow
brennan_codes | Brennan Shaw | Software developer. Learning in public. | Edinburgh
ash_talbot | Ash Talbot | Organiser. Not here to make you comfortable. | Sheffield
marguerite_v | Marguerite Vance | Retired HR director. I have heard it all. | Bath
wren_organises | Wren Castell | Volunteer coordinator at a support service. | Brighton
theo_pressfield | Theo Pressfield | Freelance journalist. Sceptic by trade. | London
teacherdad_ravi | Ravi Sundar | Primary teacher, dad of two boys. | Coventry
coach_dale_w | Dale Whitcombe | Youth football coach for twenty years. | Swindon
gus_at_the_pub | Gus Farrant | Plumber. Pub quiz captain. | Hull
ferrymanfinn | Finn Adebayo | Ferry deckhand, amateur philosopher. | Dover
dara_quill | Dara Quill | Engineer. Usually the only woman in the room. | Reading
sam_otterburn | Sam Otterburn | Architect. Still learning. | York
claire_dlb | Claire de la Berge | Journaliste. | Lyon
julien_ferrand | Julien Ferrand | Prof de maths au collège. | Nantes
antoine_berthr | Antoine Berthier | Commercial. Rugby le dimanche. | Toulouse
lucia_valdemar | Lucía Valdemar | Periodista. | Madrid
andres_quiroga | Andrés Quiroga | Ingeniero civil. | Bogotá
mateo_rincon_ | Mateo Rincón | Estudiante de historia. | Sevilla
jonas_reiter | Jonas Reiter | Softwareentwickler. | Hamburg
giulia_ferra | Giulia Ferraresi | Avvocata. | Bologna
oldriverstone | Walt Riverstone | Retired postman. Grandad. Account set up by my granddaughter. | Whitby
okoye_builds | Emeka Okoye | Engineering manager. | Milton Keynes
mike_haldane | Mike Haldane | Counsellor for men and boys. | Nottingham
lena_achterbrg | Lena Achterberg | Employment lawyer. Not legal advice. | London
pete_lindqvist | Pete Lindqvist | Dad of three. Cycling. | Oxford
real_talk_rog | Roger Pike | Real talk. No filter. | Kent
lukas_on_bikes | Lukas Brenner | Bike courier. 27. | London
midwest_mark_k | Mark Kowalczyk | Accountant. Cleveland sports, sadly. | Ohio
arlo_penhallow | Arlo Penhallow | Carpenter. | Cornwall
juno_castellan | Juno Castellan | Product designer. | Dublin
sofia_mardell | Sofia Mardell | PhD student: gender and media. | Uppsala
tamsin_okafor | Tamsin Okafor | Campaigner. Tea and paperwork. | Liverpool
quiet_archivist | A. | Archivist. Private person. |
keyboard_lou | Lou Brack | Free speech absolutist. | Essex
nathalie_rsl | Nathalie Roussel | Infirmière. | Lille
ned_blakemore | Ned Blakemore | Bartender. Night owl. | Brighton
bea_knits | Beatrice Holm | Knitter, mum, nana. | Aberdeen
"""
# Accounts that only retweet in this archive.
CROWD = """
readingroom_rae | Rae Linton | Reads everything. |
lanternfish_k | Kit Marlow-Hay | Marine biologist. |
moorland_notes | Isla Greaves | Walker. Notes from the hills. | Yorkshire
tidewater_em | Em Tidewater | Sailor. |
sparrowhawk_li | Li Sparrow | Birder. |
plainspoken_jo | Jo Cardew | Social worker. |
copperkettle_s | Sam Copper | Café owner. |
nightbus_nia | Nia Prothero | Night shift. |
harbourwall_al | Al Haverford | Fisherman. |
fenland_kit | Kit Fenwick | Farmer. |
gullwing_ros | Ros Gullane | Photographer. |
morningtea_mo | Mo Ashdown | Teacher. |
quietlane_ike | Ike Lanyon | Postgraduate. |
paperboat_ada | Ada Ferrier | Illustrator. |
kelp_and_salt | Ren Kelso | Swimmer. |
orchard_row_vi | Vi Orchard | Gardener. |
lamplight_eli | Eli Lampard | Nurse. |
slowtrain_ona | Ona Slater | Commuter. |
bramble_tess | Tess Bramley | Vet. |
thistle_dom | Dom Thistlewood | Chef. |
"""

MEDIA = {  # name: (type, alt text)
    "fridge": ("photo", "A handwritten note on a fridge door: Ask first. No means stop. Tell a grown-up."),
    "groupchat": ("photo", "Screenshot of a group chat, names and faces blurred, ending with 'Gus left the chat'."),
    "actionlist": ("photo", "A typed list headed 'Beyond the hashtag' with four numbered suggestions."),
    "candle": ("animated_gif", "A single candle flickering in the dark."),
}

CONVERSATIONS = [
    """
@harbour_tomas 2017-10-16 07:52 key=tomas1
I've typed and deleted this four times. I was 14. He was my swimming coach and everyone liked him.
#MeToo #MenToo (1/3)
    @harbour_tomas +3
    I never told my parents. I told myself it didn't count because I was a boy, and boys are meant to
    shrug things off. It counted. (2/3)
        @harbour_tomas +4
        If you're a man reading the stories this week and something in your chest went tight: you're not
        the only one. That's all. (3/3)
            @ruth_alderney +41
            Tomas, thank you for trusting us with this. It counted, and it was never your job to shrug it
            off. I'm so sorry.
                @harbour_tomas +22
                I didn't expect anyone to reply, honestly. Thank you. My hands are still shaking a bit.
                    @ruth_alderney +9
                    That's a normal thing for a body to do after carrying something this long. Be gentle
                    with yourself tonight. If you want to talk to someone: {link:example.org/support/men}
                        @harbour_tomas +30
                        Saved it. Might actually call this time.
    @nadia_k_writes +65
    I believe you. Thank you for saying it out loud. #MeToo has room for you.
    @ironside_carl +3h
    Why wait 20 years to say it? Not trying to be rude, just asking.
        @hollis_june +14
        Because of replies like this one, Carl. People wait until they think they'll be believed.
            @ironside_carl +25
            Fair enough. Didn't mean it like that.
    @dev_marwood +4h
    Same age, different sport. I've never written that down before either. #MenToo
        @harbour_tomas +30
        I'm really sorry, Dev. Glad you wrote it down. Solidarity.
""",
    """
@harbour_tomas 2017-10-20 18:10 key=tomas_after
Four days on. Hundreds of messages, a lot of them from men saying "me too, never told anyone". I called the
support line yesterday. Thank you, all of you. #MenToo
    @ruth_alderney +20
    So glad you called. Thank you for coming back to tell us.
    @dev_marwood +50
    Called them too. You went first, mate.
""",
    """
@dev_marwood 2017-10-16 13:10 quote=tomas1 key=dev1
Thank you for this, Tomas. I'm going to stop pretending it didn't happen to me too. #MenToo
    @nadia_k_writes +30
    Believing you, Dev. Take care of yourself today.
""",
    """
@priya_mehta_cw 2017-10-16 14:05 key=priya1
A gentle ask this week: men, if you have a #MeToo story, it matters and we want to hear it. But please
don't reply to women's stories with "men get harassed too". Post your own. Let ours stand.
    @jay_okonkwo_ +38
    That seems fair. I'm a survivor too and I've winced at men using us as a rebuttal. Our stories aren't
    a counterargument to yours.
        @priya_mehta_cw +15
        Thank you, Jay. That's exactly it. Both things can be true without one cancelling the other.
            @jay_okonkwo_ +20
            Posted mine separately. Took a while to find the words. #MenToo
                @priya_mehta_cw +11
                Read it. Thank you for being brave, and for doing it this way. 💜
    @bluecollar_bry +70
    So men's experiences only count when it's convenient? Typical.
        @priya_mehta_cw +25
        That's not what I said. Men's experiences count. Using them to talk over women doesn't help anyone,
        including male survivors.
            @jay_okonkwo_ +12
            As a male survivor: she's right. Please don't use us as a weapon in this argument.
""",
    """
@jay_okonkwo_ 2017-10-16 15:20 key=jay1
It was an older cousin. I was nine. I spent years thinking it was something I'd done. I'm 34 now and only
starting to believe it wasn't. #MeToo #MenToo
    @ruth_alderney +25
    It wasn't. Not then, not now. Thank you for telling us, Jay.
    @elin_sandqvist +60
    Sending you so much warmth. My brother went through something similar and it took him years too.
    You're in good company here.
        @jay_okonkwo_ +40
        Thank you. Please tell your brother a stranger on the internet says he's not alone.
            @elin_sandqvist +30
            I will. He'll roll his eyes and then he'll be glad. ❤️
""",
    """
@elin_sandqvist 2017-10-16 17:05 quote=jay1
If you read one #MenToo post today, make it this one.
""",
    """
@kofi_nightpages 2017-10-17 09:10 key=kofi1
My first boss used to corner me in the stockroom and comment on my body. She was 45, I was 19. When I
mentioned it, my mates said I was lucky. I wasn't. #MeToo #MenToo
    @sneerwell_dave +12 deleted
        @kofi_nightpages +20
        And this is why men don't say anything. Every single time.
            @nadia_k_writes +14
            Kofi, I'm sorry people are responding like this. Harassment is harassment. The "lucky" thing is
            its own kind of damage.
                @kofi_nightpages +18
                Thank you. It's the "lucky" part that kept me quiet for ten years.
        @hollis_june +35
        Not funny. Delete this.
    @ruth_alderney +50
    Thank you for naming the "you were lucky" reaction. It keeps so many men quiet. I believe you.
    @mariam_elamrani +95
    Reading this as a woman who has also had a boss like that: it was not your fault and it was not a
    compliment.
""",
    """
@brennan_codes 2017-10-17 16:40 key=brennan1
#IHave talked over women in meetings and then repeated their ideas as mine. #IHave laughed at the joke
instead of saying "not cool". Small things, I told myself. They weren't small to them.
    @ash_talbot +30
    So you're confessing to harassment and expecting applause? Men posting #IHave are just telling us
    who the problem is.
        @brennan_codes +25
        Not expecting applause. I agree I'm part of the problem, that's the point of saying it. What would
        you want men like me to do instead?
            @ash_talbot +40
            Honestly? Less posting, more fixing. Apologise to the specific people. Then do better, quietly.
                @brennan_codes +35
                That's fair. I've messaged two former colleagues today. One replied. Not posting about it
                beyond this.
                    @marguerite_v +20
                    This is the first #IHave thread I've seen go somewhere useful. The apology to the actual
                    people is the part that counts.
                        @wren_organises +45
                        And the next step is your workplace: ask who handles complaints and whether anyone
                        trusts that process. {link:example.org/workplace-checklist}
    @theo_pressfield +90
    Every man in tech is doing this today. Performative. None of it will survive to Monday.
        @brennan_codes +20
        Maybe. Check back on Monday. And the Monday after that.
            @theo_pressfield +30
            Will do. I genuinely hope you prove me wrong.
""",
    """
@teacherdad_ravi 2017-10-17 20:15 key=ravi1 media=fridge
#HowIWillChange: my boys are 8 and 11. Tonight we talked about asking before hugging, that "no" ends the
game, and telling a grown-up when a friend is being pushed around. It's on the fridge now.
    @hollis_june +40
    This is lovely. The fridge is where the real policy lives in our house too.
    @bluecollar_bry +65
    Teaching boys they're dangerous from age 8. Great.
        @teacherdad_ravi +30
        Nobody in that conversation was told they're dangerous. They were told other people's bodies are
        their own. Same thing I'd teach a daughter.
            @bluecollar_bry +45
            Ok. I can get behind that part.
                @teacherdad_ravi +15
                That's the whole of it, honestly.
    @coach_dale_w +2h
    Stealing this for my under-12s. We do a talk on "banter" every season; adding the bit about telling a
    grown-up.
        @teacherdad_ravi +20
        Please do. Let me know how it lands.
""",
    """
@ironside_carl 2017-10-18 08:30 key=carl1
Feed is full of "all men are trash" today. I've never harassed anyone in my life. #NotAllMen
    @nadia_k_writes +20
    Nobody said all men. But enough men that every woman you know has a story. Maybe ask yourself why
    that's the part that upset you.
        @ironside_carl +15
        Because I'm tired of being lumped in with creeps.
            @kofi_nightpages +30
            I get the feeling. But some of those "creeps" did things to men too, me included. Not all men,
            sure. Enough men, and some women, that we should all be listening.
                @ironside_carl +40
                Didn't think of it like that. Sorry that happened to you.
                    @kofi_nightpages +12
                    Appreciate that. Listening is a good start. 🙏
                        @hollis_june +25
                        This is the most hopeful exchange I've seen all week.
    @real_talk_rog +35
    Exactly. It's a witch hunt. Next it'll be a crime to compliment a woman.
        @marguerite_v +20
        A compliment isn't what anyone is describing. Read the stories.
        @gus_at_the_pub +50
        Rog, mate, read ten of the stories before you decide what this is. Ten. Then come back.
            @real_talk_rog +3h
            Read some. Still think it's gone too far. But some of them were grim, I'll give you that.
""",
    """
@ironside_carl 2017-10-22 19:00 key=carl2
Said #NotAllMen a few days ago. Spent the week actually reading the stories, men's too. I still think most
men are decent. I also think most of us stayed quiet when it mattered. Me included. #MeToo
    @nadia_k_writes +30
    Carl, this took something. Thank you for actually reading.
        @ironside_carl +20
        The guy who told me about his boss got through to me. Didn't expect that.
            @kofi_nightpages +45
            That's me, I think. Glad it helped, Carl. Genuinely.
""",
    """
@gus_at_the_pub 2017-10-17 22:05 key=gus1 media=groupchat
#HowIWillChange: I'm the guy in the group chat who goes "lads, come on" and then carries on. Tonight I
said it properly, and left the chat when they didn't stop. Screenshot with names blurred.
    @theo_pressfield +25
    Respect. That costs more than a hashtag.
    @ferrymanfinn +55
    Harder than it sounds. Good on you, Gus.
        @gus_at_the_pub +10
        Two of them messaged me privately to say they agreed. Why couldn't they say it in the chat 🙃
            @ferrymanfinn +20
            Because you went first. That's how it usually works.
    @dara_quill +80
    Thank you. Genuinely. The group chats are where a lot of it starts.
""",
    """
@theo_pressfield 2017-10-18 09:15 quote=gus1 key=theo_q
This is what I mean. He paid for it with a group of friends. That's change. The rest of us posting
#HowIWillChange statuses, less so.
""",
    """
@theo_pressfield 2017-10-18 11:20 key=theo1
Unpopular opinion: a tweet is not accountability. If your #HowIWillChange doesn't cost you anything, it's
a status update.
    @ferrymanfinn +15
    Agree it's not enough. Disagree it's nothing. Saying it in public gives people something to hold you to.
        @theo_pressfield +22
        Fair. Something to hold you to is better than nothing. I'll take that.
    @okoye_builds +60
    I wrote one and I half agree with you. Writing it was the easy part. The hard part was asking my team
    how I come across.
""",
    """
@wren_organises 2017-10-18 12:30 key=wren1 media=actionlist
Men asking "what can I actually do?" beyond a hashtag. A start, in four tweets. #MeToo #HowIWillChange 1/4
    @wren_organises +2 key=wren2
    Give money or time to your local rape crisis service. Many have waiting lists and run on almost
    nothing. 2/4
        @wren_organises +2 key=wren3
        Find out how harassment complaints work where you work. If nobody knows, that's your answer. Ask
        for it to be fixed. 3/4
            @wren_organises +3 key=wren4
            And when a mate crosses a line, say so, in front of the others. Once is awkward. Twice makes a
            habit. 4/4 {link:example.org/bystander}
                @okoye_builds +40
                Did number 3 today. Our HR person admitted nobody had used the process in four years. Not a
                good sign.
                    @wren_organises +25
                    No, it isn't. Four quiet years usually means nobody trusts it. Good that you asked.
                        @okoye_builds +30
                        We're setting up an anonymous route now. Slow, but moving.
""",
    """
@dara_quill 2017-10-19 12:00 quote=wren1
Bookmark this, then actually do one of the four things this week. #HowIWillChange
""",
    """
@sam_otterburn 2017-10-18 19:45 key=sam1
#IHave kept pushing when someone said "maybe later" at a party in my twenties. I told myself persistence
was romantic. She looked relieved when her friend came over. I think about that a lot this week.
    @ash_talbot +30
    Did you ever apologise to her?
        @sam_otterburn +40
        No. Lost touch years ago. I'm not sure turning up in her life now would be for her or for me.
            @ruth_alderney +35
            That's a thoughtful question to sit with. Sometimes the apology you owe is to everyone who comes
            after: how you behave from now on.
                @sam_otterburn +20
                That helps. Thank you.
    @real_talk_rog +60
    This is nothing. You asked twice. Men are being made to feel guilty for normal dating.
        @mariam_elamrani +25
        He's describing someone who was uncomfortable and relieved to get away. He's allowed to decide
        that wasn't ok.
""",
    """
@claire_dlb 2017-10-15 10:10 lang=fr key=claire1
Aux hommes qui me demandent quoi faire depuis #BalanceTonPorc : écoutez sans vous justifier, croyez, et
dites quelque chose quand un ami dépasse les bornes. C'est tout, et c'est déjà beaucoup.
    @julien_ferrand +45 lang=fr
    Moi aussi j'ai ri à des blagues que je savais déplacées. #BalanceTonPorc ne parle pas que des "porcs",
    il parle aussi de nous, les témoins silencieux.
        @claire_dlb +30 lang=fr
        Merci Julien. C'est exactement ça. Le silence des témoins, c'est ce qui permet au reste de continuer.
            @julien_ferrand +1d lang=fr
            J'en ai parlé hier avec mes collègues. Conversation pas facile, mais utile. #MoiAussi
    @antoine_berthr +80 lang=fr
    On en arrive à la délation généralisée. Tous les hommes ne sont pas des porcs.
        @claire_dlb +20 lang=fr
        Personne n'a dit ça. Lisez les témoignages avant de parler de délation.
""",
    """
@nathalie_rsl 2017-10-16 19:30 lang=fr key=nathalie1
#BalanceTonPorc #MoiAussi Aux hommes qui racontent aussi leur histoire cette semaine : merci. Vous
n'enlevez rien à personne.
""",
    """
@lucia_valdemar 2017-10-16 18:00 lang=es key=lucia1
#YoTambién. Y a los hombres que preguntan cómo ayudar: no hace falta que nos defiendan, hace falta que
hablen con sus amigos cuando hacen "bromas" sobre nosotras.
    @andres_quiroga +35 lang=es
    Tomo nota. Esta semana lo hice en el trabajo por primera vez. Nadie se rió de la broma y fue muy
    incómodo, pero creo que funcionó. #YoTambién
        @lucia_valdemar +20 lang=es
        Incómodo está bien. Gracias, Andrés.
    @mateo_rincon_ +60 lang=es
    A mí me pasó con un profesor cuando tenía 13 años. Nunca lo había dicho. #YoTambién #MeToo
        @lucia_valdemar +15 lang=es
        Te creo. Gracias por contarlo. Un abrazo fuerte.
""",
    """
@andres_quiroga 2017-10-17 02:15 lang=es key=andres1
#YoTambién también es para los hombres que callamos. Pero esta semana, sobre todo, nos toca escuchar.
#MeToo
""",
    """
@jonas_reiter 2017-10-17 07:30 lang=de key=jonas1
Ich habe oft weggesehen, wenn Kollegen Frauen im Büro bedrängt haben. Das war feige. Ab jetzt sage ich
etwas. #MeToo #HowIWillChange
""",
    """
@giulia_ferra 2017-10-16 12:40 lang=it key=giulia1
#QuellaVoltaChe un collega mi ha seguita fino alla macchina. Agli uomini che chiedono cosa fare:
credeteci, e parlatene con gli altri uomini. #MeToo
""",
    """
@oldriverstone 2017-10-17 13:00 key=river1
I'm 67. A man I trusted at church hurt me when I was 11. I buried it for 55 years. My granddaughter showed
me #MeToo and said "Grandad, you can say it too." So I am. #MenToo
    @elin_sandqvist +25
    Your granddaughter sounds like a treasure, and so do you. Thank you for saying it.
        @oldriverstone +60
        She set up this account for me. She says I should use more hashtags. #MeToo #MenToo
            @elin_sandqvist +15
            She's right 😊 Wishing you peace.
    @ruth_alderney +45
    Fifty-five years is a long time to carry something alone. I'm glad you don't have to any more.
    @bluecollar_bry +2h
    Respect to you, sir. Men of your generation never talk about this.
        @oldriverstone +40
        Neither did I, son. Maybe that's the point.
""",
    """
@okoye_builds 2017-10-17 18:00 key=okoye1
#HowIWillChange: I manage 12 people in R&D. This week I asked the two women on my team, privately,
whether I ever make them uncomfortable. One said I interrupt her constantly. I hadn't noticed. That's
the point.
    @marguerite_v +30
    Asking was good. Not asking them to reassure you is the next step 🙂
        @okoye_builds +15
        Ha. Noted. I did fish for reassurance a bit.
    @dara_quill +55
    As the only woman on my team for six years: managers asking this question would have changed a lot.
""",
    """
@ferrymanfinn 2017-10-17 12:10 key=finn1
#HowIWillChange: listen first. When a woman tells me something happened, my job isn't to ask what she was
wearing or whether she's sure. It's to say "I believe you" and "what do you need?"
    @hollis_june +20
    Yes. And sometimes what she needs is for you to do nothing except not tell anyone.
        @ferrymanfinn +25
        Good point. Believing her includes respecting what she wants done with it.
""",
    """
@coach_dale_w 2017-10-18 17:20 key=dale1
#HowIWillChange: twenty years coaching boys' football. I've let "banter" slide in the changing room more
times than I can count. Not any more. A respect talk at every session this season.
    @harbour_tomas +50
    As someone who was hurt by a coach: coaches like you saying this out loud matters more than you know.
        @coach_dale_w +30
        That means a lot. I'm sorry that happened to you. Coaches have a duty and some failed it badly.
            @harbour_tomas +40
            Thank you. Look after those boys.
""",
    """
@marguerite_v 2017-10-19 09:00 key=marg1
A week of men's hashtags. Some moving, some brave, some clearly for the applause. The test isn't the post.
It's what the women around you notice in a month. #HowIWillChange #IHave
    @brennan_codes +60
    Fair test. I've put a reminder in my calendar for 19 November to ask.
        @marguerite_v +15
        Good. Ask them, not Twitter. 🙂
""",
    """
@okoye_builds 2017-10-19 10:30 quote=marg1
Setting the same reminder. And asking the team, not the internet. #HowIWillChange
""",
    """
@ash_talbot 2017-10-18 10:00 key=ash1
Hot take: #IHave is harassers writing their own character references. I don't want your confession, I
want you to stop.
    @ferrymanfinn +45
    Some of it is exactly that. But men naming the ordinary stuff (talking over, laughing along) helps
    other men see themselves in it. That's how cultures shift.
        @ash_talbot +30
        Maybe. But notice who's getting praised for honesty and who's still being asked for proof.
            @ferrymanfinn +20
            That's a fair point and I don't have a good answer to it.
                @ash_talbot +35
                Not needing a good answer is a start. Keep listening.
    @sam_otterburn +80
    I posted one. You're right that I don't deserve praise for it. I posted it so I couldn't pretend later
    that I didn't know.
""",
    """
@hollis_june 2017-10-17 08:00 key=hollis1 media=candle
To the men posting #MeToo and #MenToo this week: I see you, I believe you, and there is room in this for
you. Survivors aren't in competition.
    @jay_okonkwo_ +40
    Needed this today. Thank you.
    @quiet_archivist +3h
    Thank you for this.
""",
    """
@nadia_k_writes 2017-10-16 06:30 key=nadia1
Women's #MeToo posts are filling my feed. So are a handful of men saying "it happened to me too". Both
deserve more than a like. Read them. Sit with them.
""",
    """
@real_talk_rog 2017-10-19 21:00 key=rog1
Can't say anything any more. Every man is guilty until proven innocent now. #NotAllMen #MeToo
    @gus_at_the_pub +25
    You're saying plenty, Rog. Nobody's stopping you. People are just disagreeing with you.
    @dara_quill +40
    Nobody has accused you of anything. The stories are about specific things specific people did.
""",
    """
@mariam_elamrani 2017-10-17 11:00 key=mariam1
Some of the bravest #MeToo posts this week are from men who were told boys can't be victims. Believing
them doesn't take anything away from us. #MenToo
""",
    """
@mike_haldane 2017-10-20 14:00 key=mike1
I counsel men. This week my inbox has doubled: men who've carried something for decades and finally
have a word for it. You don't have to post anything. Just talk to someone. {link:example.org/support/men}
#MenToo
    @jay_okonkwo_ +30
    This. Posting isn't for everyone. Talking to someone is what actually helped me.
    @oldriverstone +90
    I have an appointment next week. First time in my life.
        @mike_haldane +20
        That's a big step. I hope it's a good room to sit in.
""",
    """
@bluecollar_bry 2017-10-18 13:00 key=bry1
All these blokes apologising on Twitter for things nobody asked about. Weird flex. #IHave
    @brennan_codes +40
    Some of us were asked, just not on Twitter. This was the follow-through.
    @ash_talbot +55
    For once I agree with you, Bry. For different reasons.
""",
    """
@lena_achterbrg 2017-10-18 15:30 key=lena1
If your #IHave includes anything that would get you fired, this isn't the place to confess it. Talk to the
person you harmed, or to a professional. Twitter isn't absolution.
    @sam_otterburn +70
    Heard. For what it's worth, mine wouldn't, but I see why you're saying it.
    @ash_talbot +80
    Thank you. Some of these "confessions" are describing things that should be reported, not applauded.
        @lena_achterbrg +20
        Exactly. And some are describing being a bad colleague. We should be able to tell those apart.
""",
    """
@lena_achterbrg 2017-10-16 16:10 quote=priya1
This, and also: men who want to help can share women's stories without adding their own commentary on
top. #MeToo
""",
    """
@pete_lindqvist 2017-10-16 20:00 key=pete1
As a father of two daughters, this #MeToo wave terrifies me.
    @marguerite_v +30
    Respectfully: you shouldn't need daughters to care. Women are people before they're someone's daughter.
        @pete_lindqvist +40
        Point taken. I think I've said that phrase for years without hearing it.
            @marguerite_v +10
            Most people have. Thanks for hearing it now.
                @pete_lindqvist +60
                Also, I have a son. He's the one I actually need to talk to. #HowIWillChange
""",
    """
@lukas_on_bikes 2017-10-17 23:40 key=lukas1
#IHave rated women out of ten with my mates, out loud, where they could hear. I was 17 and thought it was
harmless. It wasn't.
    @dara_quill +35
    Thanks for naming it. A lot of us heard those numbers and remember them.
        @lukas_on_bikes +25
        I'm sorry you did. I'll say something next time I hear it. I hear it a lot.
""",
    """
@midwest_mark_k 2017-10-18 01:20 key=mark1
#IHave stayed silent when a senior colleague made a junior woman cry in a meeting. I told myself it
wasn't my place. It was exactly my place.
""",
    """
@juno_castellan 2017-10-18 14:45 key=juno1
Seeing a lot of #HowIWillChange from men who have never once backed me up in a meeting. I'll believe it
when I see it.
    @midwest_mark_k +50
    That's fair. I'm probably one of those men. I'll try to be one you can point to.
        @juno_castellan +20
        Try in the room, not here.
            @midwest_mark_k +15
            Understood.
""",
    """
@arlo_penhallow 2017-10-18 07:10 key=arlo1
#HowIWillChange: stop saying "boys will be boys". My dad said it, I've said it, I won't say it to my son.
""",
    """
@sofia_mardell 2017-10-17 10:20 key=sofia1
Men: your stories are welcome. Your opinions on our stories, less so this week. #MeToo
    @theo_pressfield +45
    Harsh but probably fair.
    @kofi_nightpages +70
    Agree. And for the men with stories, there's #MenToo. We don't have to take up space in someone
    else's thread to be heard.
""",
    """
@tamsin_okafor 2017-10-20 09:30 key=tamsin1
Hashtags trend for a week. Policies last years. If you posted #HowIWillChange, write to your
representative about harassment protections for people in small workplaces. Template:
{link:example.org/letter-template}
    @brennan_codes +40
    Sent. Took eight minutes.
    @okoye_builds +2h
    Sent, and forwarded to my team with no pressure attached.
""",
    """
@quiet_archivist 2017-10-17 21:10 key=archivist1
#MenToo. A teacher. Boarding school. I'm not ready to say more. I just wanted to be counted.
    @hollis_june +15
    Counted. Believed. Take all the time you need.
    @mike_haldane +40
    You don't owe anyone more than that. Ever.
""",
    """
@bea_knits 2017-10-18 21:30 key=bea1
My son, who is 40, rang me tonight after reading the #MenToo posts and told me something that happened at
a camp when he was a boy. I believed him. I'm so proud he told me, and so sorry I didn't know.
    @ruth_alderney +25
    Believing him first is exactly right. Parents often need support too after a call like that. Be kind
    to yourself as well.
        @bea_knits +40
        Thank you. I'm knitting him a jumper, which is what I do when I don't know what to do.
            @elin_sandqvist +15
            That's a very good thing to do. ❤️
""",
    """
@ned_blakemore 2017-10-19 23:50 key=ned1
Wanted to write a #HowIWillChange but worried it'd be empty words. So here's one small, checkable thing:
I've stopped covering shifts at the bar where the owner grabs the waitresses, and I told him why.
    @gus_at_the_pub +30
    Checkable is the word. Fair play, Ned.
""",
    """
@keyboard_lou 2017-10-20 11:00 key=lou1
The real victims of this hashtag will be men whose careers get ruined by one tweet. #NotAllMen
    @mariam_elamrani +25
    Whose career? Name one from this week.
        @keyboard_lou +40
        Give it time.
            @mariam_elamrani +10
            So, none. Meanwhile thousands of people have described what happened to them.
""",
]

RETWEETS = {  # key of the original: (named retweeters, number of further retweets from the crowd)
    "tomas1": (["ruth_alderney", "nadia_k_writes", "hollis_june", "jay_okonkwo_"], 10),
    "tomas_after": (["dev_marwood"], 3),
    "priya1": (["lena_achterbrg", "sofia_mardell", "ash_talbot"], 6),
    "jay1": (["hollis_june", "elin_sandqvist"], 5),
    "kofi1": (["nadia_k_writes"], 4),
    "brennan1": (["wren_organises"], 3),
    "ravi1": (["hollis_june", "coach_dale_w"], 5),
    "wren1": (["tamsin_okafor", "dara_quill", "okoye_builds"], 9),
    "gus1": (["ferrymanfinn"], 5),
    "hollis1": (["mariam_elamrani"], 6),
    "mariam1": (["hollis_june"], 5),
    "carl2": (["nadia_k_writes"], 3),
    "river1": (["elin_sandqvist"], 6),
    "dale1": ([], 3),
    "claire1": (["nathalie_rsl", "julien_ferrand"], 0),
    "lucia1": (["andres_quiroga"], 1),
    "mike1": (["jay_okonkwo_", "quiet_archivist"], 4),
    "marg1": ([], 3),
    "theo1": ([], 2),
    "ash1": (["sofia_mardell"], 1),
    "archivist1": (["hollis_june"], 2),
    "tamsin1": (["wren_organises"], 3),
    "finn1": ([], 3),
    "juno1": (["dara_quill"], 1),
}

HEADER = re.compile(r"^(?P<indent> *)@(?P<handle>\w+) (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d|\+\d+[mhd]?)"
                    r"(?P<opts>(?: \w+(?:=\w+)?)*)$")
LINK = re.compile(r"\{link:([^}]+)\}")
HASHTAG = re.compile(r"#(\w+)")
MENTION = re.compile(r"(?<!\w)@(\w+)")
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
OPTIONS = {"key", "lang", "media", "quote", "deleted"}
SOURCES = ["Twitter for iPhone", "Twitter for Android", "Twitter Web Client", "TweetDeck"]


@dataclass
class Draft:
    """One post as written above, then completed with its id, text, entities and counts."""

    handle: str
    when: datetime
    body: str
    parent: Draft | None
    key: str = ""
    lang: str = "en"
    media: str = ""
    quote: str = ""
    deleted: bool = False
    retweet_of: Draft | None = None
    tweet: dict[str, Any] = field(default_factory=dict)
    replies: int = 0
    retweets: int = 0
    quotes: int = 0

    @property
    def root(self) -> Draft:
        return self.parent.root if self.parent else self


def parse(block: str) -> list[Draft]:
    """Read one conversation block into drafts, parents before their replies."""
    drafts: list[Draft] = []
    stack: list[Draft] = []
    lines: list[str] = []
    for raw in textwrap.dedent(block).strip("\n").splitlines():
        header = HEADER.match(raw)
        if not header:
            lines.append(raw.strip())
            continue
        _finish(drafts, lines)
        depth = len(header["indent"]) // 4
        parent = stack[depth - 1] if depth else None
        del stack[depth:]
        draft = Draft(header["handle"], _when(header["when"], parent), "", parent)
        for option in header["opts"].split():
            name, _, value = option.partition("=")
            assert name in OPTIONS, f"unknown option {name}"
            if name == "deleted":
                draft.deleted = True
            else:
                setattr(draft, name, value)
        stack.append(draft)
        drafts.append(draft)
    _finish(drafts, lines)
    return drafts


def _finish(drafts: list[Draft], lines: list[str]) -> None:
    if drafts:
        drafts[-1].body = " ".join(lines).replace(" // ", "\n\n").strip()
    lines.clear()


def _when(text: str, parent: Draft | None) -> datetime:
    if not text.startswith("+"):
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    assert parent is not None, "only replies can give a time relative to their parent"
    unit = text[-1] if text[-1] in "mhd" else "m"
    amount = int(text[1:].rstrip("mhd"))
    return parent.when + timedelta(**{UNITS[unit]: amount})


class Builder:
    """Turns drafts into X API v2 tweet objects with consistent ids, entities and counts."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.users = self._users()
        self.drafts: list[Draft] = []
        self.keys: dict[str, Draft] = {}
        self.used_ids: set[int] = set()
        self.media: dict[str, dict[str, Any]] = {}

    def _users(self) -> dict[str, dict[str, Any]]:
        users: dict[str, dict[str, Any]] = {}
        rows = [row for row in (USERS + CROWD).splitlines() if row.strip()]
        for number, row in enumerate(rows):
            handle, name, description, location = (part.strip() for part in row.split("|"))
            assert re.fullmatch(r"\w{1,15}", handle), f"not a possible handle: {handle}"
            followers = int(self.rng.lognormvariate(5.0, 1.1))
            user: dict[str, Any] = {
                "id": str(1_840_000_000 + number * 7_919_191 + self.rng.randrange(7_000_000)),
                "username": handle, "name": name,
                "created_at": (datetime(2009, 3, 1, tzinfo=UTC) + timedelta(
                    days=self.rng.randrange(2_900), seconds=self.rng.randrange(86_400))
                ).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "description": description + FICTIONAL, "protected": False, "verified": False, "url": "",
                "profile_image_url": f"https://example.org/demo-avatars/{handle}.png",
                "public_metrics": {"followers_count": followers,
                                   "following_count": int(self.rng.lognormvariate(5.5, 0.8)),
                                   "tweet_count": int(self.rng.lognormvariate(7.5, 1.0)),
                                   "listed_count": followers // 100},
            }
            if location:
                user["location"] = location
            users[handle] = user
        return users

    def add(self, drafts: list[Draft]) -> None:
        for draft in drafts:
            assert draft.handle in self.users, f"unknown account @{draft.handle}"
            assert not draft.parent or draft.parent.when < draft.when, f"reply before its parent: {draft.body}"
            if draft.key:
                assert draft.key not in self.keys, f"key used twice: {draft.key}"
                self.keys[draft.key] = draft
            self.drafts.append(draft)

    def add_retweets(self) -> None:
        crowd = [row.split("|")[0].strip() for row in CROWD.strip().splitlines()]
        for key, (named, extra) in RETWEETS.items():
            original = self.keys[key]
            others = [h for h in crowd if h != original.handle and h not in named]
            for handle in named + self.rng.sample(others, extra):
                when = original.when + timedelta(minutes=5 + int(self.rng.expovariate(1 / 600)))
                self.drafts.append(Draft(handle, when, "", None, retweet_of=original))

    def snowflake(self, when: datetime) -> str:
        """An id as X makes them: milliseconds since the X epoch, then worker and sequence bits."""
        while True:
            ms = int(when.timestamp() * 1000) + self.rng.randrange(60_000)
            value = ((ms - TWITTER_EPOCH_MS) << 22) | (self.rng.randrange(1 << 10) << 12) | self.rng.randrange(64)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return str(value)

    def build(self) -> None:
        """Give every draft its id and counts, then its tweet object (originals before what cites them)."""
        for draft in sorted(self.drafts, key=lambda d: d.when):
            draft.tweet["id"] = self.snowflake(draft.when)
            draft.when = _time_of(int(draft.tweet["id"]))
        for draft in self.drafts:
            if draft.parent:
                draft.parent.replies += 1
            if draft.retweet_of:
                draft.retweet_of.retweets += 1
            if draft.quote:
                self.keys[draft.quote].quotes += 1
        for draft in sorted(self.drafts, key=lambda d: d.when):
            if draft.retweet_of:
                self._retweet(draft)
            else:
                self._post(draft)

    def _post(self, draft: Draft) -> None:
        author = self.users[draft.handle]
        text = ""
        if draft.parent and draft.parent.handle != draft.handle:
            named = [draft.parent.handle]
            grand = draft.parent.parent
            if grand and grand.handle not in (draft.handle, draft.parent.handle):
                named.append(grand.handle)
            text = " ".join("@" + handle for handle in named) + " "
        links: list[tuple[str, str, str]] = []
        body = _escape(draft.body)
        for target in LINK.findall(body):
            short = self._short()
            body = body.replace("{link:" + target + "}", short, 1)
            links.append((short, "https://" + target, target if len(target) <= 26 else target[:25] + "…"))
        text += body
        if draft.quote:
            quoted = self.keys[draft.quote]
            path = f"twitter.com/{quoted.handle}/status/{quoted.tweet['id']}"
            links.append((self._short(), "https://" + path, path[:26] + "…"))
            text += " " + links[-1][0]
        if draft.media:
            short = self._short()
            links.append((short, f"https://twitter.com/{draft.handle}/status/{draft.tweet['id']}/photo/1",
                          "pic.twitter.com/" + short[13:]))
            text += " " + short
        # X counts a link as 23 characters and leaves out reply names, quote links and media links.
        assert len(LINK.sub("x" * 23, draft.body)) <= 280, f"too long for a post: {draft.body}"
        tweet = draft.tweet
        tweet.update(text=text, author_id=author["id"], conversation_id=draft.root.tweet["id"],
                     created_at=_iso(draft.when), lang=draft.lang)
        entities = self._entities(text, links)
        if entities:
            tweet["entities"] = entities
        references = []
        if draft.parent:
            references.append({"type": "replied_to", "id": draft.parent.tweet["id"]})
            tweet["in_reply_to_user_id"] = self.users[draft.parent.handle]["id"]
        if draft.quote:
            references.append({"type": "quoted", "id": self.keys[draft.quote].tweet["id"]})
        if references:
            tweet["referenced_tweets"] = references
        if draft.media:
            tweet["attachments"] = {"media_keys": [self._media(draft)]}
        likes = 2 * draft.retweets + 3 * draft.replies + self.rng.randrange(2, 12 if draft.parent else 40)
        tweet["public_metrics"] = {"retweet_count": draft.retweets + self.rng.randrange(0, 3 if draft.retweets else 1),
                                   "reply_count": draft.replies, "like_count": likes, "quote_count": draft.quotes}
        self._finish_tweet(tweet)

    def _retweet(self, draft: Draft) -> None:
        original = draft.retweet_of
        assert original is not None
        prefix = f"RT @{original.handle}: "
        full = prefix + original.tweet["text"]
        text = full if len(full) <= RT_CUT + 1 else full[:RT_CUT] + "…"
        entities: dict[str, list[dict[str, Any]]] = {
            "mentions": [{"start": 3, "end": 4 + len(original.handle), "username": original.handle,
                          "id": self.users[original.handle]["id"]}]}
        for kind, items in original.tweet.get("entities", {}).items():
            shifted = [{**item, "start": item["start"] + len(prefix), "end": item["end"] + len(prefix)}
                       for item in items]
            kept = [item for item in shifted if item["end"] <= (len(text) if text is full else RT_CUT)]
            if kept:
                entities[kind] = entities.get(kind, []) + kept
        tweet = draft.tweet
        tweet.update(text=text, author_id=self.users[draft.handle]["id"], conversation_id=tweet["id"],
                     created_at=_iso(draft.when), lang=original.lang, entities=entities,
                     referenced_tweets=[{"type": "retweeted", "id": original.tweet["id"]}])
        if "attachments" in original.tweet:
            tweet["attachments"] = original.tweet["attachments"]
        tweet["public_metrics"] = {"retweet_count": original.tweet["public_metrics"]["retweet_count"],
                                   "reply_count": 0, "like_count": 0, "quote_count": 0}
        self._finish_tweet(tweet)

    def _finish_tweet(self, tweet: dict[str, Any]) -> None:
        tweet.update(possibly_sensitive=False, reply_settings="everyone",
                     source=SOURCES[self.rng.randrange(len(SOURCES))])

    def _entities(self, text: str, links: list[tuple[str, str, str]]) -> dict[str, list[dict[str, Any]]]:
        entities: dict[str, list[dict[str, Any]]] = {}
        tags = [{"start": m.start(), "end": m.end(), "tag": m[1]} for m in HASHTAG.finditer(text)]
        mentions = [{"start": m.start(), "end": m.end(), "username": m[1], "id": self.users[m[1]]["id"]}
                    for m in MENTION.finditer(text)]
        urls = [{"start": text.index(short), "end": text.index(short) + len(short), "url": short,
                 "expanded_url": expanded, "display_url": display} for short, expanded, display in links]
        for name, found in (("hashtags", tags), ("mentions", mentions), ("urls", urls)):
            if found:
                entities[name] = found
        return entities

    def _media(self, draft: Draft) -> str:
        kind, alt = MEDIA[draft.media]
        media_id = str(int(draft.tweet["id"]) - (1_500 << 22))
        key = ("16_" if kind == "animated_gif" else "3_") + media_id
        item: dict[str, Any] = {"media_key": key, "type": kind, "width": 1200, "height": 900, "alt_text": alt}
        image = f"https://example.org/demo-media/{media_id}.jpg"
        item["preview_image_url" if kind == "animated_gif" else "url"] = image
        self.media[key] = item
        return key

    def _short(self) -> str:
        return "https://t.co/" + "".join(self.rng.choice(ALNUM) for _ in range(10))


def _escape(text: str) -> str:
    """X API v2 escapes these three characters in post text, and entity offsets count the escaped text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _time_of(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + TWITTER_EPOCH_MS) // 1000, UTC)


def _matches_search(draft: Draft) -> bool:
    source = draft.retweet_of or draft
    wanted = {tag.casefold() for tag in SEARCH_TAGS}
    tags = source.tweet.get("entities", {}).get("hashtags", [])
    return any(item["tag"].casefold() in wanted for item in tags)


def pages(builder: Builder) -> list[dict[str, Any]]:
    """The search pages (newest first, 100 posts each), then one page per conversation with replies."""
    live = [draft for draft in builder.drafts if not draft.deleted]
    for draft in live:
        if not draft.parent:
            assert _matches_search(draft), f"a post no search would have collected: {draft.body}"
    found = sorted((d for d in live if _matches_search(d)), key=lambda d: int(d.tweet["id"]), reverse=True)
    start, end = "2017-10-13T00:00:00Z", "2017-11-01T00:00:00Z"
    query = " OR ".join("#" + tag for tag in SEARCH_TAGS)
    search_url = "https://api.twitter.com/2/tweets/search/all?" + urlencode(
        {**FIELDS, "start_time": start, "end_time": end, "query": query, "max_results": 100})
    result = []
    for number, first in enumerate(range(0, len(found), PAGE_SIZE)):
        chunk = found[first:first + PAGE_SIZE]
        token = f"b26v89c19zqg8o3fpc{number:02d}x8mg3demo" if first + PAGE_SIZE < len(found) else None
        result.append(_page(builder, chunk, search_url, token, RETRIEVED + timedelta(seconds=4 * number)))
    roots = [d for d in found if not d.parent and not d.retweet_of]
    later = RETRIEVED + timedelta(minutes=3)
    for number, root in enumerate(roots):
        replies = sorted((d for d in live if d.parent and d.root is root),
                         key=lambda d: int(d.tweet["id"]), reverse=True)
        if not replies:
            continue
        url = "https://api.twitter.com/2/tweets/search/all?" + urlencode(
            {**FIELDS, "query": f"conversation_id:{root.tweet['id']}", "max_results": 100})
        result.append(_page(builder, replies, url, None, later + timedelta(seconds=3 * number)))
    return result


def _page(builder: Builder, chunk: list[Draft], url: str, token: str | None, when: datetime) -> dict[str, Any]:
    users: dict[str, dict[str, Any]] = {}
    tweets: dict[str, dict[str, Any]] = {}
    media: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, str]] = []
    by_id = {d.tweet["id"]: d for d in builder.drafts}
    by_user_id = {user["id"]: user for user in builder.users.values()}

    def add_users(tweet: dict[str, Any]) -> None:
        mentioned = (m["id"] for m in tweet.get("entities", {}).get("mentions", []))
        for user_id in [tweet["author_id"], *mentioned]:
            users.setdefault(user_id, by_user_id[user_id])

    for draft in chunk:
        add_users(draft.tweet)
        for key in draft.tweet.get("attachments", {}).get("media_keys", []):
            media[key] = builder.media[key]
        for ref in draft.tweet.get("referenced_tweets", []):
            target = by_id[ref["id"]]
            if target.deleted:
                if all(error["resource_id"] != ref["id"] for error in errors):
                    errors.append(_not_found(ref["id"]))
            else:
                tweets.setdefault(ref["id"], target.tweet)
                add_users(target.tweet)
    includes: dict[str, Any] = {"users": list(users.values())}
    if tweets:
        includes["tweets"] = list(tweets.values())
    if media:
        includes["media"] = list(media.values())
    page: dict[str, Any] = {"data": [d.tweet for d in chunk], "includes": includes}
    if errors:
        page["errors"] = errors
    meta: dict[str, Any] = {"newest_id": chunk[0].tweet["id"], "oldest_id": chunk[-1].tweet["id"],
                            "result_count": len(chunk)}
    if token:
        meta["next_token"] = token
    page["meta"] = meta
    page["__twarc"] = {"url": url, "version": TWARC_VERSION, "retrieved_at": when.isoformat()}
    return page


def _not_found(tweet_id: str) -> dict[str, str]:
    return {"value": tweet_id, "detail": f"Could not find tweet with referenced_tweets.id: [{tweet_id}].",
            "title": "Not Found Error", "resource_type": "tweet", "parameter": "referenced_tweets.id",
            "resource_id": tweet_id, "type": "https://api.twitter.com/2/problems/resource-not-found"}


def make(out: Path) -> int:
    """Build the demo archive at ``out``; return the number of posts written in search and thread pages."""
    builder = Builder()
    for block in CONVERSATIONS:
        builder.add(parse(block))
    builder.add_retweets()
    builder.build()
    written = 0
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        for page in pages(builder):
            # json.dumps with its defaults (ASCII escapes, ", " and ": ") is exactly how twarc writes lines.
            handle.write(json.dumps(page) + "\n")
            written += len(page["data"])
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    count = make(target)
    print(f"wrote {count} posts to {target}", file=sys.stderr)
