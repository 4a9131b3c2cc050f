# ruff: noqa: SIM905
"""Word lists the name, place and facility rules consult (written from public-domain census lists).

FIRST_NAMES / SURNAMES: frequent US given names and surnames (Census 1990/2010 frequency lists and
SSA baby-name tables, which are public domain), across the main ancestries of US patients.
COMMON_WORDS: capitalised words that start sentences or headings in clinical text and must never be
taken for a name part on capitalisation alone. EPONYMS: people's names that are clinical terms
("Parkinson's disease", "Apgar score") and are not PHI when used that way.
Shipping these as a module (not data files) keeps packaging simple and loading to one import.
"""

from __future__ import annotations

import re

FIRST_NAMES: frozenset[str] = frozenset(
    """
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
donald steven paul andrew joshua kenneth kevin brian george edward ronald timothy jason jeffrey ryan jacob
gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank alexander
raymond patrick jack dennis jerry tyler aaron jose henry adam douglas nathan peter zachary kyle walter
harold jeremy ethan carl keith roger gerald christian terry sean arthur austin noah lawrence jesse joe
bryan billy jordan albert dylan bruce willie gabriel alan juan logan wayne ralph roy eugene randy vincent
russell louis philip bobby johnny bradley mary patricia jennifer linda elizabeth barbara susan jessica
sarah karen nancy lisa betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda
melissa deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda
pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather
diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea
hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail
julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella
charlotte rose alexis kayla liam mason elijah oliver lucas aiden jackson sebastian mateo levi luca ezra
owen wyatt carter jayden grayson leo lincoln hudson isaiah caleb nolan eli landon hunter connor adrian
colton axel maverick easton jaxon ava mia amelia harper ella avery scarlett chloe camila penelope layla
riley zoey nora lily eleanor hazel violet aurora savannah audrey brooklyn bella claire skylar lucy
paisley everly caroline nova genesis emilia kennedy maya willow kinsley naomi aaliyah elena ariana
allison gabriella alice madelyn cora ruby eva serenity autumn adeline hailey gianna valentina isla eliana
quinn nevaeh ivy sadie piper lydia alexa josephine emery delilah arianna vivian kaylee sophie brielle
madeline luis carlos miguel jorge pedro manuel ricardo francisco javier alejandro fernando rafael sergio
eduardo roberto diego andres raul enrique oscar hector ramon arturo alberto guadalupe rosa carmen ana
lucia sofia valeria isabel gabriela mariana daniela fernanda ximena camila paola adriana alejandra
veronica yolanda leticia marisol beatriz pilar consuelo dolores esperanza inez wei li ming hui jun yan
xiu ying lei hong jian mei ling jing fang hao yu chen tao qiang hiroshi takashi kenji yuki akira haruto
sakura yumi keiko naoko kenta satoshi minh anh linh thanh tuan duc huong lan mai nguyet thuy hoa quang
jae min seo ji hyun soo young joon sung eun priya rahul amit anil sunil vijay raj ravi arjun deepak
sanjay rohan aarav vikram neha pooja anjali sunita kavita lakshmi meera divya ananya sneha fatima aisha
mohammed muhammad ahmed ali omar hassan hussein yusuf ibrahim khalid tariq mustafa karim layla zainab
mariam nour leila yasmin amina hana samir rami nadia kwame kofi ama akua chidi chinwe emeka ngozi oluwaseun
adebayo folake tunde abebe tsegaye desta aleksandr dmitri sergei ivan olga natasha svetlana tatiana
irina katya pavel nikolai anastasia giuseppe giovanni marco francesca giulia alessandro chiara matteo
lorenzo pierre jacques francois amelie camille louis antoine margot hans klaus jurgen ingrid greta
sven lars astrid freya erik bjorn siobhan aoife niamh ciaran declan sean padraig seamus bridget
maeve fiona colin angus morag alistair duncan eilidh rhys gareth bronwen dafydd cerys tyrone jamal
darnell deshawn latoya keisha tanisha ebony lakisha shanice dwayne marquis terrell demetrius jasmine
imani aaliyah malik andre reginald cedric tamika yvonne lorraine marlene gladys edna ethel mildred
agnes bernice irene lois norma phyllis wanda loretta eleanor harriet herbert clarence howard leonard
earl stanley melvin norman vernon lloyd floyd leroy cecil otis wilbur elmer chester homer rudolph
clyde everett morris irving sheldon murray seymour bernard abraham isaac moshe yosef chaim rivka
miriam esther shoshana devorah tova avi eitan noam tamar yael talia dov ezekiel jedidiah zeke tobias
silas jasper felix oscar theo theodore rowan finn declan kai jude milo ezekiel emmett harrison
beckett knox archer bennett weston brooks griffin pearl opal mabel edith florence clara ada stella
beatrice lena ines ramona juanita lupe conchita maribel araceli rocio yesenia nayeli itzel xochitl
maricela jazmin rosalinda graciela reyna blanca silvia norma teodoro
""".split()
)

SURNAMES: frozenset[str] = frozenset(
    """
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez
wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez
lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker
hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins
reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly
howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price
alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan bell
coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton
graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar
stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington kennedy wells
vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez
silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone
salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan
gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart bradley
knight elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry
perkins hoffman johnston matthews pena richards contreras willis carpenter lawrence sandoval guerrero
george chapman rios estrada ortega watkins greene nunez wheeler valdez harper burke larson santiago
maldonado morrison franklin carlson austin dominguez carr lawson jacobs obrien lynch singh vega bishop
montgomery oliver jensen harvey williamson gilbert dean sims espinoza howell li wong reid hanson le
mccoy garrett burton fuller wang weber welch rojas lucas marquez fields park yang little banks padilla
day walsh bowman schultz luna fowler mejia davidson acosta brewer may holland juarez newman pearson
curtis cortez douglas schneider joseph barrett navarro figueroa keller avila wade molina stanley hopkins
campos barnett bates chambers caldwell beck lambert miranda byrd craig ayala lowe frazier powers neal
leonard gregory carrillo sutton fleming rhodes shelton schwartz norris jennings watts duran walters cohen
mcdaniel moran parks steele vaughn becker holt deleon barker terry hale leon hail benson haynes horton
miles lyons pham graves bush thornton wolfe warner cabrera mckinney mann zimmerman dawson lara fletcher
page mccarthy love robles cervantes solis erickson reeves chang klein salinas fuentes baldwin daniel
simon velasquez hardy higgins aguirre lin cummings chandler sharp barber bowen ochoa dennis robbins
liu ramsey francis griffith paul blair oconnor cardenas pacheco cross calderon quinn moss swanson chan
rivas khan rodgers serrano fitzgerald rosales stevenson christensen manning gill curry mclaughlin harmon
mcgee gross doyle garner newton burgess reese walton blake trujillo adkins brady goodman roman webster
goodwin fischer huang potter delacruz montoya todd wu hines mullins castaneda malone cannon tate mack
sherman hubbard hodges zhang guerra wolf valencia saunders franco rowe gallagher farmer hammond hampton
townsend ingram wise gallegos clarke barton schroeder maxwell waters logan camacho strickland norman
person colon parsons frank harrington glover osborne buchanan casey floyd patton ibarra ball tyler suarez
bowers orozco salas cobb gibbs andrade bauer conner moody escobar mcguire lloyd mueller hartman french
kramer mcbride pope lindsey velazquez norton mccormick sparks flynn yates hogan marsh macias villanueva
zamora pratt stokes owen ballard lang brock villarreal charles drake barrera cain patrick pineda burnett
mercado santana shepherd bautista ali shaffer lamb trevino mckenzie hess beil olsen cochran morton nash
wilkins petersen briggs shah roth nicholson holloway lozano rangel flowers hoover short arias mora
valenzuela bryan meyers weiss underwood bass greer summers houston carson morrow clayton whitaker decker
yoder collier zuniga carey wilcox melendez poole roberson larsen conley davenport copeland massey lam
huff rocha cameron jefferson hood monroe anthony pittman huynh randall singleton kirk combs mathis
christian skinner bradford richard galvan wall boone kirby wilkinson bridges bruce atkinson velez
meza roy vincent york hodge villa abbott allison tapia gates chase sosa sweeney farrell wyatt dalton
horn barron phelps yu dickerson heath foley atkins mathews bonilla acevedo benitez zavala hensley glenn
cisneros harrell shields rubio huffman choi boyer garrison arroyo bond kane hancock callahan dillon
cline wiggins grimes arellano melton oneill savage ho beltran pitts parrish ponce rich booth koch golden
ware brennan mcdowell marks cantu humphrey baxter sawyer clay tanner hutchinson kaur berg wiley gilmore
russo villegas hobbs keith wilkerson ahmed beard mcclain montes mata rosario vang walter henson oneal
mosley mcclure beasley stephenson snow huerta preston vance barry johns eaton blackwell dyer prince
macdonald solomon guevara stafford english hurst woodard cortes shannon kemp nolan mccullough merritt
murillo moon salgado strong kline cordova barajas roach rosas winters jacobson lester knox bullock kerr
leach meadows davila orr whitehead pruitt kent conway mckee barr david dejesus marin berger mcintyre
blankenship gaines palacios cuevas bartlett durham dorsey mccall odonnell stein browning stout lowery
sloan mclean hendricks calhoun sexton chung gentry hull duarte ellison nielsen gillespie buck middleton
sellers leblanc esparza hardin bradshaw mcintosh howe livingston frost glass morse knapp herman stark
bravo noble spears weeks corona frederick buckley mcfarland hebert enriquez hickman quintero randolph
schaefer walls trejo house reilly pennington michael conrad giles benjamin crosby fitzpatrick donovan
mays mahoney valentine raymond medrano hahn mcmillan small bentley felix peck lucero boyle hanna pace
rush hurley harding mcconnell bernal nava ayers everett ventura avery pugh mayer bender shepard mcmahon
landry case sampson moses magana blackburn dunlap gould duffy vaughan herring mckay espinosa rivers
farley bernard ashley friedman potts truong costa correa blevins nixon clements fry delarosa best
benton lugo portillo dougherty crane haley phan villalobos blanchard horne finley quintana lynn esquivel
bean dodson mullen xiong hayden cano levy huber richmond moyer lim frye sheppard mccarty avalos booker
waller parra woodward jaramillo krueger rasmussen brandt peralta donaldson stuart faulkner maynard
galindo coffey estes sanford burch maddox vo oconnell vu andersen spence mcpherson church schmitt
stanton leal cherry compton dudley sierra pollard alfaro hester proctor lu hinton novak good madden
mccann terrell jarvis dickson reyna cantrell mayo branch hendrix rollins rowland whitney duke odom daugherty
travis tang archer kowalski nowak wisniewski wojcik kaminski lewandowski zielinski szymanski dabrowski
kozlowski jankowski mazur krawczyk ivanov petrov sidorov smirnov popov volkov sokolov kuznetsov
rossi ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa giordano
mancini rizzo lombardi moretti dubois durand lefebvre leroy moreau laurent girard bonnet fontaine
muller schneider fischer weber wagner becker hoffmann schulz koch richter klein wolf neumann schwarz
zimmermann braun kruger hofmann hartmann lange werner krause lehmann kohler tanaka suzuki takahashi
watanabe ito yamamoto nakamura kobayashi saito kato yoshida yamada sasaki yamaguchi matsumoto inoue
kimura hayashi shimizu park kang cho yoon jang lim han shin seo kwon hwang ahn song jeon hong
ko moon yang son bae baek heo nam shim noh ha kwak sung cha joo woo gupta sharma kumar verma reddy
rao iyer nair menon pillai chatterjee banerjee mukherjee das bose ghosh sen mehta joshi desai
kapoor malhotra chopra bhatt trivedi pandey mishra tiwari agarwal jain shah hussain rahman
begum akhtar qureshi siddiqui chaudhry malik abdullah haddad khoury nasser saleh mansour hamdan
okafor okeke nwosu eze adeyemi okonkwo mensah asante boateng owusu diallo traore kone toure
mwangi otieno kamau wanjiru tesfaye haile bekele girma alemu oconnor obrien mccarthy kelleher
fitzgibbon mcnamara gallagher doherty kennedy byrne walsh ryan oneill donnelly keane mcgrath
fernandes pereira oliveira souza rodrigues almeida nascimento lima araujo ribeiro carvalho gomes
martins rocha dias teixeira moreira cardoso barbosa pinto mendes castro cavalcanti nakagawa
""".split()
)

# First names that are also ordinary English words or months: only taken as names with a cue or a
# surname next to them, never alone.
AMBIGUOUS_FIRST: frozenset[str] = frozenset(
    """
will may june april august rose hope faith joy grace dawn summer autumn ray art bill mark frank pat
guy jack sue don jean ruby pearl ivy iris lily violet hazel olive amber crystal angel chance chase
destiny harmony heaven honey jewel lane lincoln mason hunter carter cooper tyler jordan austin
christian brooks paisley savannah skylar sky river stone king young brown white green black gray
long bell wood hill price page lance miles rich sterling stella nova genesis serenity trinity
melody major judge bishop drew dale glen glenn wade reed west penny
""".split()
)

# Capitalised words that begin sentences, headings and list items in clinical documents.
COMMON_WORDS: frozenset[str] = frozenset(
    """
a an the and or but if then else when while after before during since until because so as at by for
from in into of off on onto out over per to up with within without via about above across against
along among around behind below beneath beside between beyond down near past through toward under
upon this that these those there here where which who whom whose what why how all any both each few
more most other some such no nor not only own same than too very can could may might must shall
should will would is are was were be been being have has had having do does did doing i me my we our
you your he him his she her it its they them their yes please thanks thank hello hi dear regards
sincerely best kind warm signed reviewed approved dictated transcribed electronically sent received
note notes patient pt client member resident subject name date time dob age sex gender male female
history hx present presenting illness hpi chief complaint cc review systems ros physical exam
examination pe assessment plan impression diagnosis diagnoses dx problem problems list medications
medication meds allergies allergy nkda social family surgical past medical pmh psh fh sh labs lab
laboratory results result imaging radiology findings finding vitals vital signs general heent neck
chest lungs lung heart cardiac cardiovascular abdomen abdominal extremities skin neuro neurologic
neurological psych psychiatric musculoskeletal gu gi respiratory endocrine hematology oncology
disposition follow followup return discharge discharged admission admitted admit hospital course
procedure procedures operative operation surgery anesthesia indication indications consent summary
instructions education counseling reason referral consult consultation progress subjective
objective ap ddx labs data orders order prescription rx sig refills refill dispense take tablet
tablets capsule capsules daily twice nightly weekly monthly bid tid qid prn po iv im sc subq
mg mcg ml kg lb cm mm hr min sec bp hr rr spo2 temp wbc rbc hgb hct plt bmp cmp cbc tsh inr ptt
alt ast bun cr egfr ldl hdl hba1c a1c ecg ekg echo ct mri xray cxr us ultrasound pet scan
normal abnormal negative positive stable improved improving worsening unchanged denies reports
states complains presents noted notes seen evaluated started stopped continue continued increase
increased decrease decreased start stop hold resume new old left right bilateral mild moderate
severe acute chronic recurrent primary secondary type stage grade class level total high low
monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday morning afternoon
evening night week month year january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec am pm est pst cst mst utc
dr mr mrs ms miss mx prof md do rn np pa phd lpn cna fnp dnp pharmd msw lcsw dds dmd od mph
emergency department er ed icu picu nicu or pacu clinic office floor unit ward room bed service
team nursing pharmacy cardiology neurology pulmonology nephrology gastroenterology endocrinology
rheumatology dermatology urology orthopedics pediatrics obstetrics gynecology psychiatry psychology
radiology pathology surgery medicine internal oncology hematology infectious disease diseases
care primary urgent center centre health healthcare medical services service system systems
department dept university college school institute foundation group associates partners
north south east west northern southern eastern western central upper lower new general regional
community memorial county state national federal united american international st saint mount mt
insurance plan policy coverage claim billing account payment copay deductible invoice statement
phone fax email address street city zip code tel cell mobile home work contact number no id
mrn ssn npi dea vin serial device license certificate plate ip url website portal
message reply question questions answer update reminder appointment appointments visit visits
schedule scheduled rescheduled cancel cancelled confirm confirmed call called calling text texted
lab labs test tests testing screen screening sample specimen culture biopsy report reports
type diabetes mellitus hypertension hyperlipidemia asthma copd chf cad ckd afib gerd uti
pneumonia sepsis covid influenza flu depression anxiety bipolar schizophrenia dementia obesity
cancer carcinoma lymphoma leukemia melanoma tumor mass lesion fracture stroke seizure migraine
pain fever cough nausea vomiting diarrhea constipation fatigue weakness dizziness headache
shortness breath rash swelling edema bleeding infection injury wound ulcer
aspirin tylenol acetaminophen ibuprofen advil motrin metformin lisinopril atorvastatin
amlodipine metoprolol losartan insulin lantus humalog warfarin coumadin eliquis apixaban xarelto
prednisone albuterol omeprazole gabapentin sertraline zoloft lexapro escitalopram fluoxetine
prozac levothyroxine synthroid furosemide lasix hydrochlorothiazide amoxicillin augmentin
azithromycin zithromax doxycycline cephalexin keflex ciprofloxacin vancomycin heparin
morphine oxycodone hydrocodone tramadol ondansetron zofran pantoprazole protonix clopidogrel
plavix simvastatin pravastatin rosuvastatin crestor carvedilol digoxin spironolactone
glipizide januvia ozempic semaglutide trulicity jardiance farxiga entresto humira
ok okay great good fine well better worse sure sorry also just still again even however
therefore thus otherwise meanwhile additionally further furthermore overall per
one two three four five six seven eight nine ten first second third last next
is it can we should could would my our your his her their its mom dad
medicare medicaid tricare aetna cigna humana anthem kaiser blue cross shield unitedhealthcare
covid-19 sars-cov-2 hiv hepatitis mrsa baby boy girl infant newborn
""".split()
)

# Eponyms used as clinical terms: "Parkinson's disease", "Glasgow Coma Scale", "Apgar score".
EPONYMS: frozenset[str] = frozenset(
    """
parkinson parkinsons alzheimer alzheimers apgar glasgow crohn crohns hodgkin hodgkins addison addisons
cushing cushings graves hashimoto hashimotos bell bells down tourette tourettes huntington huntingtons
wilson wilsons raynaud raynauds sjogren sjogrens kaposi kaposis guillain barre barrett barretts
babinski murphy murphys mcburney homan homans kernig brudzinski trendelenburg romberg epley heimlich
foley whipple nissen bishop lou gehrig gehrigs marfan marfans kawasaki asperger aspergers turner
klinefelter meniere menieres bowen paget pagets dupuytren dupuytrens osgood schlatter legg calve
perthes ewing ewings wilms burkitt burkitts hirschsprung hirschsprungs tay sachs gaucher fabry
pompe niemann pick picks creutzfeldt jakob lyme rocky bartholin bartholins baker bakers colles
smith smiths boxer barton bennett bennetts jones monteggia galeazzi chopart lisfranc achilles
hartmann roux billroth kocher pfannenstiel mallory weiss zenker zenkers meckel meckels virchow
virchows horner horners bell's wernicke korsakoff broca brocas tinel phalen finkelstein lachman
mcmurray spurling hawkins neer thompson allen allens murphy's rovsing psoas obturator cullen
grey turner chvostek trousseau kussmaul cheyne stokes beck becks levine starling frank starling
holter swan ganz hickman broviac groshong port-a-cath bovie doppler papanicolaou pap gram
wright giemsa ziehl neelsen coombs coombs schilling snellen weber rinne dix hallpike valsalva
heberden bouchard bouchards osler oslers janeway roth roths argyll robertson
kayser fleischer fleischer cushing's conn conns gilbert gilberts dubin rotor crigler najjar
reye reyes stevens johnson fanconi fanconis bernard soulier glanzmann von willebrand willebrands
""".split()
)

# Cities and towns common enough in US records to be worth knowing without a state next to them.
CITIES: frozenset[str] = frozenset(
    """
boston chicago houston phoenix philadelphia seattle denver atlanta miami dallas austin detroit
baltimore milwaukee albuquerque tucson fresno sacramento portland nashville memphis louisville
cleveland cincinnati pittsburgh minneapolis omaha tulsa wichita oakland tampa orlando raleigh
charlotte richmond buffalo rochester syracuse albany hartford providence newark jersey brooklyn
manhattan queens bronx honolulu anchorage boise spokane tacoma reno henderson scottsdale tempe
mesa chandler glendale lubbock amarillo laredo plano irving arlington fort worth knoxville
chattanooga birmingham montgomery huntsville jackson shreveport baton rouge lafayette savannah
charleston columbia greenville durham greensboro winston-salem norfolk chesapeake alexandria
annapolis wilmington dover trenton camden allentown scranton harrisburg akron toledo dayton
columbus indianapolis evansville madison duluth fargo sioux billings cheyenne missoula bozeman
provo ogden eugene salem bend yakima fresno bakersfield stockton modesto riverside pasadena
anaheim irvine san diego jose francisco antonio los angeles las vegas santa barbara ana clara
cruz monica rosa fe el paso corpus christi new orleans york haven worcester springfield lowell
cambridge somerville quincy brockton burlington portsmouth manchester nashua concord bangor
""".split()
)

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia", "PR": "Puerto Rico",
}  # fmt: skip

# What follows an eponym in its clinical use ("Foley catheter", "Parkinson's disease"): the word is then
# no name (names.py and recall.py both ask).
EPONYM_FOLLOW = re.compile(
    r"(?:['’]s|['’])?[ \t\-]+(?:disease|syndrome|sign|signs|score|scale|test|maneuver|manoeuvre|catheter|"
    r"procedure|criteria|classification|reflex|triad|ulcer|fracture|palsy|sarcoma|lymphoma|tumou?r|esophagus|node|"
    r"cyst|phenomenon|law|equation|formula|operation|repair|incision|point|disorder|dementia|chorea|"
    r"thyroiditis|tube|bag|stocking|stockings|position|rating|stage|staging|coma|questionnaire|"
    r"protocol|drip|line|knot|needle|splint|dressing|diet|technique|method|stain|chart|block|crisis|"
    r"type|grade|sequence|manoeuvres|maneuvers|forceps|retractor|shunt|pouch|anastomosis|hernia|body|bodies|"
    r"tear|wort|stool[ \t]+(?:chart|scale|form)|fundoplication|rule|rules)\b",
    re.IGNORECASE,
)
