# Generated from resources/teleprospect.qrc — do not edit — regenerate with: python packaging/build_generated.py
# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x0cn\
/\
* Teleprospect: \
a light touch on\
 the platform st\
yle. People read\
 this table all \
day,\x0a   so the r\
ules below only \
add calm row spa\
cing, a clear se\
lection and a qu\
iet header;\x0a   c\
olours come from\
 the palette so \
dark themes and \
high-contrast se\
ttings still wor\
k. */\x0a\x0aQTableVie\
w#leadTable,\x0aQTa\
bleView#queueTab\
le,\x0aQTableView#a\
uditTable {\x0a    \
/* Whole rows ar\
e selected, so a\
 focus frame aro\
und one cell is \
only noise. */\x0a \
   outline: 0;\x0a \
   gridline-colo\
r: palette(midli\
ght);\x0a    select\
ion-background-c\
olor: palette(hi\
ghlight);\x0a    se\
lection-color: p\
alette(highlight\
ed-text);\x0a}\x0a\x0aQTa\
bleView#leadTabl\
e::item,\x0aQTableV\
iew#queueTable::\
item,\x0aQTableView\
#auditTable::ite\
m {\x0a    padding:\
 0 4px;\x0a}\x0a\x0aQTabl\
eView#leadTable \
QHeaderView::sec\
tion,\x0aQTableView\
#queueTable QHea\
derView::section\
,\x0aQTableView#aud\
itTable QHeaderV\
iew::section {\x0a \
   padding: 4px \
6px;\x0a    border:\
 none;\x0a    borde\
r-right: 1px sol\
id palette(midli\
ght);\x0a    border\
-bottom: 1px sol\
id palette(mid);\
\x0a    background:\
 palette(window)\
;\x0a    font-weigh\
t: 600;\x0a}\x0a\x0a/* Th\
e one button a t\
eleprospector pr\
esses all day: b\
ig, and found wi\
thout looking. *\
/\x0aQPushButton#ne\
xtLeadButton {\x0a \
   font-size: 12\
pt;\x0a    font-wei\
ght: 600;\x0a}\x0a\x0a/* \
The lead on hand\
, under the butt\
on: set off from\
 the queue witho\
ut shouting. */\x0a\
QFrame#claimPane\
l {\x0a    backgrou\
nd: palette(alte\
rnate-base);\x0a   \
 border: 1px sol\
id palette(mid);\
\x0a    border-radi\
us: 4px;\x0a}\x0a\x0aQSta\
tusBar QLabel {\x0a\
    padding: 0 8\
px;\x0a}\x0a\x0a/* Withou\
t the database s\
erver: said wher\
e the rep looks,\
 in the warning \
colours of the\x0a \
  banners, and c\
lickable (the ca\
lls kept on this\
 computer). */\x0aQ\
ToolButton#offli\
neStatus {\x0a    p\
adding: 0 8px;\x0a \
   font-weight: \
600;\x0a}\x0a\x0aQToolBut\
ton#offlineStatu\
s[offline=\x22true\x22\
] {\x0a    backgrou\
nd: #fff4d6;\x0a   \
 color: #5c4400;\
\x0a    border: 1px\
 solid #e0c068;\x0a\
    border-radiu\
s: 3px;\x0a}\x0a\x0aQLabe\
l#offlineBanner \
{\x0a    background\
: #fff4d6;\x0a    c\
olor: #5c4400;\x0a \
   border-bottom\
: 1px solid #e0c\
068;\x0a    padding\
: 6px 10px;\x0a}\x0a\x0a/\
* -- the call wo\
rkspace --------\
----------------\
----------------\
----------------\
--------- */\x0a\x0aQL\
abel#workspaceBa\
nner {\x0a    backg\
round: #fff4d6;\x0a\
    color: #5c44\
00;\x0a    border: \
1px solid #e0c06\
8;\x0a    border-ra\
dius: 4px;\x0a    p\
adding: 6px 10px\
;\x0a}\x0a\x0aQLabel#camp\
aignBox {\x0a    ba\
ckground: palett\
e(alternate-base\
);\x0a    border: 1\
px solid palette\
(mid);\x0a    borde\
r-radius: 4px;\x0a \
   padding: 6px \
8px;\x0a}\x0a\x0aQLabel#s\
ectionTitle {\x0a  \
  font-weight: 6\
00;\x0a}\x0a\x0a/* The ca\
ll timer: read a\
t a glance while\
 talking. */\x0aQLa\
bel#callTimer {\x0a\
    font-size: 1\
6pt;\x0a    font-we\
ight: 600;\x0a    f\
ont-family: mono\
space;\x0a    paddi\
ng: 0 10px;\x0a}\x0a\x0aQ\
PushButton#callB\
utton,\x0aQPushButt\
on#saveNextButto\
n {\x0a    font-wei\
ght: 600;\x0a    pa\
dding: 6px 16px;\
\x0a}\x0a\x0aQLabel#quest\
ionHelp,\x0aQLabel#\
hint {\x0a    color\
: palette(placeh\
older-text);\x0a   \
 font-style: ita\
lic;\x0a}\x0a\x0aQLabel#f\
ieldError {\x0a    \
color: #b3261e;\x0a\
}\x0a\x0aQFrame#questi\
onEditor {\x0a    b\
order-bottom: 1p\
x solid palette(\
midlight);\x0a}\x0a\x0a/*\
 -- the audit tr\
ail ------------\
----------------\
----------------\
----------------\
---------- */\x0a\x0a/\
* The selected e\
ntry, whole, und\
er the table: re\
ad like a note, \
set off from the\
 list. */\x0aQLabel\
#entryDetails {\x0a\
    background: \
palette(alternat\
e-base);\x0a    bor\
der: 1px solid p\
alette(mid);\x0a   \
 border-radius: \
4px;\x0a    padding\
: 6px 8px;\x0a}\x0a\
\x00\x00\x01K\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22 fill=\x22none\x22 st\
roke=\x22#3d4f61\x22 s\
troke-width=\x222\x22 \
stroke-linecap=\x22\
round\x22 stroke-li\
nejoin=\x22round\x22>\x0a\
  <path d=\x22M20 1\
1a8 8 0 0 0-14.3\
-4.9L4 8\x22/>\x0a  <p\
ath d=\x22M4 3.5V8h\
4.5\x22/>\x0a  <path d\
=\x22M4 13a8 8 0 0 \
0 14.3 4.9L20 16\
\x22/>\x0a  <path d=\x22M\
20 20.5V16h-4.5\x22\
/>\x0a</svg>\x0a\
\x00\x00\x02\xf0\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2264\
\x22 height=\x2264\x22 vi\
ewBox=\x220 0 64 64\
\x22>\x0a  <rect x=\x222\x22\
 y=\x222\x22 width=\x2260\
\x22 height=\x2260\x22 rx\
=\x2213\x22 fill=\x22#1f5\
f8b\x22/>\x0a  <g fill\
=\x22none\x22 stroke=\x22\
#ffffff\x22 stroke-\
width=\x224.5\x22 stro\
ke-linecap=\x22roun\
d\x22 stroke-linejo\
in=\x22round\x22>\x0a    \
<path d=\x22M15 35v\
-5a17 17 0 0 1 3\
4 0v5\x22/>\x0a    <pa\
th d=\x22M46 44c0 5\
-5 8-12 8\x22/>\x0a  <\
/g>\x0a  <rect x=\x221\
1\x22 y=\x2232\x22 width=\
\x229\x22 height=\x2214\x22 \
rx=\x223.5\x22 fill=\x22#\
ffffff\x22/>\x0a  <rec\
t x=\x2244\x22 y=\x2232\x22 \
width=\x229\x22 height\
=\x2214\x22 rx=\x223.5\x22 f\
ill=\x22#ffffff\x22/>\x0a\
  <circle cx=\x2232\
\x22 cy=\x2252\x22 r=\x223.5\
\x22 fill=\x22#ffffff\x22\
/>\x0a  <circle cx=\
\x2248\x22 cy=\x2216\x22 r=\x22\
9\x22 fill=\x22#3fae6a\
\x22 stroke=\x22#1f5f8\
b\x22 stroke-width=\
\x222\x22/>\x0a  <path d=\
\x22M43.8 16.2l3 3 \
5.4-6\x22 fill=\x22non\
e\x22 stroke=\x22#ffff\
ff\x22 stroke-width\
=\x222.6\x22 stroke-li\
necap=\x22round\x22 st\
roke-linejoin=\x22r\
ound\x22/>\x0a</svg>\x0a\
\x00\x00\x01%\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22 fill=\x22none\x22 st\
roke=\x22#3d4f61\x22 s\
troke-width=\x222\x22 \
stroke-linecap=\x22\
round\x22 stroke-li\
nejoin=\x22round\x22>\x0a\
  <circle cx=\x2212\
\x22 cy=\x2212\x22 r=\x229\x22/\
>\x0a  <path d=\x22M12\
 11v6\x22/>\x0a  <circ\
le cx=\x2212\x22 cy=\x227\
.5\x22 r=\x220.6\x22 fill\
=\x22#3d4f61\x22/>\x0a</s\
vg>\x0a\
\x00\x00\x01\x84\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22 fill=\x22none\x22 st\
roke=\x22#3d4f61\x22 s\
troke-width=\x222\x22 \
stroke-linecap=\x22\
round\x22 stroke-li\
nejoin=\x22round\x22>\x0a\
  <ellipse cx=\x221\
0\x22 cy=\x225.5\x22 rx=\x22\
7\x22 ry=\x222.5\x22/>\x0a  \
<path d=\x22M3 5.5v\
12c0 1.4 3.1 2.5\
 7 2.5\x22/>\x0a  <pat\
h d=\x22M17 5.5V11\x22\
/>\x0a  <path d=\x22M3\
 11.5c0 1.4 3.1 \
2.5 7 2.5s7-1.1 \
7-2.5\x22/>\x0a  <path\
 d=\x22M18 14v7M14.\
5 17.5h7\x22/>\x0a</sv\
g>\x0a\
\x00\x00\x01\x1e\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22 fill=\x22none\x22 st\
roke=\x22#3d4f61\x22 s\
troke-width=\x222\x22 \
stroke-linecap=\x22\
round\x22 stroke-li\
nejoin=\x22round\x22>\x0a\
  <path d=\x22M14 4\
H6a2 2 0 0 0-2 2\
v12a2 2 0 0 0 2 \
2h8\x22/>\x0a  <path d\
=\x22M10 12h10M17 8\
.5l3.5 3.5-3.5 3\
.5\x22/>\x0a</svg>\x0a\
"

qt_resource_name = b"\
\x00\x05\
\x00o\xa6S\
\x00i\
\x00c\x00o\x00n\x00s\
\x00\x09\
\x00(\xad#\
\x00s\
\x00t\x00y\x00l\x00e\x00.\x00q\x00s\x00s\
\x00\x0b\
\x0cj!\xc7\
\x00r\
\x00e\x00f\x00r\x00e\x00s\x00h\x00.\x00s\x00v\x00g\
\x00\x10\
\x03K>\xa7\
\x00t\
\x00e\x00l\x00e\x00p\x00r\x00o\x00s\x00p\x00e\x00c\x00t\x00.\x00s\x00v\x00g\
\x00\x09\
\x06\xc7\x95\xe7\
\x00a\
\x00b\x00o\x00u\x00t\x00.\x00s\x00v\x00g\
\x00\x0d\
\x0d,\x1c'\
\x00d\
\x00e\x00m\x00o\x00-\x00d\x00a\x00t\x00a\x00.\x00s\x00v\x00g\
\x00\x08\
\x0c\x07U\xc7\
\x00q\
\x00u\x00i\x00t\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x01\
\x00\x00\x00\x10\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x05\x00\x00\x00\x03\
\x00\x00\x00D\x00\x00\x00\x00\x00\x01\x00\x00\x0d\xc1\
\x00\x00\x00j\x00\x00\x00\x00\x00\x01\x00\x00\x10\xb5\
\x00\x00\x00\xa2\x00\x00\x00\x00\x00\x01\x00\x00\x13f\
\x00\x00\x00(\x00\x00\x00\x00\x00\x01\x00\x00\x0cr\
\x00\x00\x00\x82\x00\x00\x00\x00\x00\x01\x00\x00\x11\xde\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
