// Character tables for stringprep (RFC 3454), as regular-expression character-class bodies so
// that prep.ts compiles each profile's checks once. Private to src/jid/.
//
// B.* and C.* are transcribed from RFC 3454 appendices B and C. RAND_AL_CAT and L_CAT are RFC
// 3454 tables D.1 (bidi class R or AL) and D.2 (bidi class L), which are the Unicode 3.2 bidi
// classes, extended with the Unicode 14 bidi class of every code point assigned after 3.2 (so a
// newer right-to-left script still counts as right-to-left). Adjacent ranges are merged across
// gaps that were unassigned in Unicode 14: unassigned input is refused before these tables are
// consulted, and a code point assigned there later most likely shares its neighbours' direction.

/** B.1: commonly mapped to nothing (soft hyphen, joiners, variation selectors, BOM …). */
export const B1 = "\\u{AD}\\u{34F}\\u{1806}\\u{180B}-\\u{180D}\\u{200B}-\\u{200D}\\u{2060}\\u{FE00}-\\u{FE0F}\\u{FEFF}";

/** C.1.1: ASCII space. */
export const C1_1 = "\\u{20}";
/** C.1.2: non-ASCII space characters. */
export const C1_2 = "\\u{A0}\\u{1680}\\u{2000}-\\u{200B}\\u{202F}\\u{205F}\\u{3000}";
/** C.2.1: ASCII control characters. */
export const C2_1 = "\\u{0}-\\u{1F}\\u{7F}";
/** C.2.2: non-ASCII control characters (C1 controls, format and invisible operators …). */
export const C2_2 =
  "\\u{80}-\\u{9F}\\u{6DD}\\u{70F}\\u{180E}\\u{200C}\\u{200D}\\u{2028}\\u{2029}\\u{2060}-\\u{2063}" +
  "\\u{206A}-\\u{206F}\\u{FEFF}\\u{FFF9}-\\u{FFFC}\\u{1D173}-\\u{1D17A}";
/** C.3: private use. */
export const C3 = "\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}";
/** C.4: non-character code points. */
export const C4 =
  "\\u{FDD0}-\\u{FDEF}\\u{FFFE}-\\u{FFFF}\\u{1FFFE}-\\u{1FFFF}\\u{2FFFE}-\\u{2FFFF}\\u{3FFFE}-\\u{3FFFF}" +
  "\\u{4FFFE}-\\u{4FFFF}\\u{5FFFE}-\\u{5FFFF}\\u{6FFFE}-\\u{6FFFF}\\u{7FFFE}-\\u{7FFFF}\\u{8FFFE}-\\u{8FFFF}" +
  "\\u{9FFFE}-\\u{9FFFF}\\u{AFFFE}-\\u{AFFFF}\\u{BFFFE}-\\u{BFFFF}\\u{CFFFE}-\\u{CFFFF}\\u{DFFFE}-\\u{DFFFF}" +
  "\\u{EFFFE}-\\u{EFFFF}\\u{FFFFE}-\\u{FFFFF}\\u{10FFFE}-\\u{10FFFF}";
/** C.5: surrogate codes. In a /u regex only an unpaired surrogate can match. */
export const C5 = "\\p{Cs}";
/** C.6: inappropriate for plain text (interlinear annotation, object replacement, U+FFFD). */
export const C6 = "\\u{FFF9}-\\u{FFFD}";
/** C.7: inappropriate for canonical representation (ideographic description characters). */
export const C7 = "\\u{2FF0}-\\u{2FFB}";
/** C.8: change display properties or are deprecated (bidi embeddings and overrides, LRM, RLM …). */
export const C8 = "\\u{340}\\u{341}\\u{200E}\\u{200F}\\u{202A}-\\u{202E}\\u{206A}-\\u{206F}";
/** C.9: tagging characters. */
export const C9 = "\\u{E0001}\\u{E0020}-\\u{E007F}";

/** RFC 3920 appendix A.5 (nodeprep): characters a localpart may not contain beyond C.*. */
export const NODEPREP_EXTRA = "\"&'/:<>@";

// Case-folding exceptions (see prep.ts). Capital letters of Unicode 3.2 that had no lowercase then,
// so table B.2 leaves them alone, but gained one later (dotless i never had one in B.2):
// Cyrillic palochka, Georgian Asomtavruli, Cherokee, turned F, reversed C.
export const KEEP_CASE = "\\u{131}\\u{4C0}\\u{10A0}-\\u{10CD}\\u{13A0}-\\u{13F5}\\u{2132}\\u{2183}";
/** Their later lowercase partners, folded to the capital so that both spellings still meet. */
export const FOLD_TO_UPPER = "\\u{4CF}\\u{13F8}-\\u{13FD}\\u{214E}\\u{2184}\\u{2D00}-\\u{2D2D}\\u{AB70}-\\u{ABBF}";

/** Characters that map to a full stop as label separators (RFC 3490 §3.1). */
export const LABEL_SEPARATORS = "\\u{3002}\\u{FF0E}\\u{FF61}";

/** D.1 (+ later R/AL): characters with right-to-left direction. */
export const RAND_AL_CAT =
  "\\u{5BE}\\u{5C0}\\u{5C3}\\u{5C6}\\u{5D0}-\\u{5F4}\\u{608}\\u{60B}\\u{60D}\\u{61B}-\\u{64A}\\u{66D}-\\u{66F}" +
  "\\u{671}-\\u{6D5}\\u{6DD}\\u{6E5}-\\u{6E6}\\u{6EE}-\\u{6EF}\\u{6FA}-\\u{70D}\\u{710}\\u{712}-\\u{72F}" +
  "\\u{74D}-\\u{7A5}\\u{7B1}-\\u{7EA}\\u{7F4}-\\u{7F5}\\u{7FA}\\u{7FE}-\\u{815}\\u{81A}\\u{824}\\u{828}" +
  "\\u{830}-\\u{858}\\u{85E}-\\u{88E}\\u{8A0}-\\u{8C9}\\u{200F}\\u{FB1D}\\u{FB1F}-\\u{FB28}\\u{FB2A}-\\u{FD3D}" +
  "\\u{FD50}-\\u{FDC7}\\u{FDF0}-\\u{FDFC}\\u{FE70}-\\u{FEFC}\\u{10800}-\\u{1091B}\\u{10920}-\\u{10A00}" +
  "\\u{10A10}-\\u{10A35}\\u{10A40}-\\u{10AE4}\\u{10AEB}-\\u{10B35}\\u{10B40}-\\u{10D23}\\u{10E80}-\\u{10EA9}" +
  "\\u{10EAD}-\\u{10F45}\\u{10F51}-\\u{10F81}\\u{10F86}-\\u{10FF6}\\u{1E800}-\\u{1E8CF}\\u{1E900}-\\u{1E943}" +
  "\\u{1E94B}-\\u{1EEBB}";

/** D.2 (+ later L): characters with left-to-right direction. */
export const L_CAT =
  "\\u{41}-\\u{5A}\\u{61}-\\u{7A}\\u{AA}\\u{B5}\\u{BA}\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2B8}" +
  "\\u{2BB}-\\u{2C1}\\u{2D0}-\\u{2D1}\\u{2E0}-\\u{2E4}\\u{2EE}\\u{370}-\\u{373}\\u{376}-\\u{37D}\\u{37F}\\u{386}" +
  "\\u{388}-\\u{3F5}\\u{3F7}-\\u{482}\\u{48A}-\\u{589}\\u{903}-\\u{939}\\u{93B}\\u{93D}-\\u{940}" +
  "\\u{949}-\\u{94C}\\u{94E}-\\u{950}\\u{958}-\\u{961}\\u{964}-\\u{980}\\u{982}-\\u{9B9}\\u{9BD}-\\u{9C0}" +
  "\\u{9C7}-\\u{9CC}\\u{9CE}-\\u{9E1}\\u{9E6}-\\u{9F1}\\u{9F4}-\\u{9FA}\\u{9FC}-\\u{9FD}\\u{A03}-\\u{A39}" +
  "\\u{A3E}-\\u{A40}\\u{A59}-\\u{A6F}\\u{A72}-\\u{A74}\\u{A76}\\u{A83}-\\u{AB9}\\u{ABD}-\\u{AC0}" +
  "\\u{AC9}-\\u{ACC}\\u{AD0}-\\u{AE1}\\u{AE6}-\\u{AF0}\\u{AF9}\\u{B02}-\\u{B39}\\u{B3D}-\\u{B3E}\\u{B40}" +
  "\\u{B47}-\\u{B4C}\\u{B57}-\\u{B61}\\u{B66}-\\u{B77}\\u{B83}-\\u{BBF}\\u{BC1}-\\u{BCC}\\u{BD0}-\\u{BF2}" +
  "\\u{C01}-\\u{C03}\\u{C05}-\\u{C39}\\u{C3D}\\u{C41}-\\u{C44}\\u{C58}-\\u{C61}\\u{C66}-\\u{C77}" +
  "\\u{C7F}-\\u{C80}\\u{C82}-\\u{CB9}\\u{CBD}-\\u{CBE}\\u{CC0}-\\u{CC4}\\u{CC7}-\\u{CCB}\\u{CD5}-\\u{CE1}" +
  "\\u{CE6}-\\u{CF2}\\u{D02}-\\u{D3A}\\u{D3D}-\\u{D40}\\u{D46}-\\u{D4C}\\u{D4E}-\\u{D61}\\u{D66}-\\u{D7F}" +
  "\\u{D82}-\\u{DC6}\\u{DCF}-\\u{DD1}\\u{DD8}-\\u{E30}\\u{E32}-\\u{E33}\\u{E40}-\\u{E46}\\u{E4F}-\\u{EB0}" +
  "\\u{EB2}-\\u{EB3}\\u{EBD}-\\u{EC6}\\u{ED0}-\\u{F17}\\u{F1A}-\\u{F34}\\u{F36}\\u{F38}\\u{F3E}-\\u{F6C}\\u{F7F}" +
  "\\u{F85}\\u{F88}-\\u{F8C}\\u{FBE}-\\u{FC5}\\u{FC7}-\\u{102C}\\u{1031}\\u{1038}\\u{103B}-\\u{103C}" +
  "\\u{103F}-\\u{1057}\\u{105A}-\\u{105D}\\u{1061}-\\u{1070}\\u{1075}-\\u{1081}\\u{1083}-\\u{1084}" +
  "\\u{1087}-\\u{108C}\\u{108E}-\\u{109C}\\u{109E}-\\u{135A}\\u{1360}-\\u{138F}\\u{13A0}-\\u{13FD}" +
  "\\u{1401}-\\u{167F}\\u{1681}-\\u{169A}\\u{16A0}-\\u{1711}\\u{1715}-\\u{1731}\\u{1735}-\\u{1751}" +
  "\\u{1760}-\\u{1770}\\u{1780}-\\u{17B6}\\u{17BE}-\\u{17C5}\\u{17C7}-\\u{17C8}\\u{17D4}-\\u{17DA}\\u{17DC}" +
  "\\u{17E0}-\\u{17E9}\\u{1810}-\\u{18A8}\\u{18AA}-\\u{191E}\\u{1923}-\\u{1926}\\u{1929}-\\u{1931}" +
  "\\u{1933}-\\u{1938}\\u{1946}-\\u{19DA}\\u{1A00}-\\u{1A16}\\u{1A19}-\\u{1A1A}\\u{1A1E}-\\u{1A55}\\u{1A57}" +
  "\\u{1A61}\\u{1A63}-\\u{1A64}\\u{1A6D}-\\u{1A72}\\u{1A80}-\\u{1AAD}\\u{1B04}-\\u{1B33}\\u{1B35}\\u{1B3B}" +
  "\\u{1B3D}-\\u{1B41}\\u{1B43}-\\u{1B6A}\\u{1B74}-\\u{1B7E}\\u{1B82}-\\u{1BA1}\\u{1BA6}-\\u{1BA7}\\u{1BAA}" +
  "\\u{1BAE}-\\u{1BE5}\\u{1BE7}\\u{1BEA}-\\u{1BEC}\\u{1BEE}\\u{1BF2}-\\u{1C2B}\\u{1C34}-\\u{1C35}" +
  "\\u{1C3B}-\\u{1CC7}\\u{1CD3}\\u{1CE1}\\u{1CE9}-\\u{1CEC}\\u{1CEE}-\\u{1CF3}\\u{1CF5}-\\u{1CF7}" +
  "\\u{1CFA}-\\u{1DBF}\\u{1E00}-\\u{1FBC}\\u{1FBE}\\u{1FC2}-\\u{1FCC}\\u{1FD0}-\\u{1FDB}\\u{1FE0}-\\u{1FEC}" +
  "\\u{1FF2}-\\u{1FFC}\\u{200E}\\u{2071}\\u{207F}\\u{2090}-\\u{209C}\\u{2102}\\u{2107}\\u{210A}-\\u{2113}" +
  "\\u{2115}\\u{2119}-\\u{211D}\\u{2124}\\u{2126}\\u{2128}\\u{212A}-\\u{212D}\\u{212F}-\\u{2131}" +
  "\\u{2133}-\\u{2139}\\u{213C}-\\u{213F}\\u{2145}-\\u{2149}\\u{214E}-\\u{214F}\\u{2160}-\\u{2188}" +
  "\\u{2336}-\\u{237A}\\u{2395}\\u{249C}-\\u{24E9}\\u{26AC}\\u{2C00}-\\u{2CE4}\\u{2CEB}-\\u{2CEE}" +
  "\\u{2CF2}-\\u{2CF3}\\u{2D00}-\\u{2D70}\\u{2D80}-\\u{2DDE}\\u{3005}-\\u{3007}\\u{3021}-\\u{3029}" +
  "\\u{3031}-\\u{3035}\\u{3038}-\\u{303C}\\u{3041}-\\u{3096}\\u{309D}-\\u{309F}\\u{30A1}-\\u{30FA}" +
  "\\u{30FC}-\\u{31BF}\\u{31F0}-\\u{321C}\\u{3220}-\\u{324F}\\u{3260}-\\u{327B}\\u{327F}-\\u{32B0}" +
  "\\u{32C0}-\\u{32CB}\\u{32D0}-\\u{3376}\\u{337B}-\\u{33DD}\\u{33E0}-\\u{33FE}\\u{3400}-\\u{4DBF}" +
  "\\u{4E00}-\\u{A48C}\\u{A4D0}-\\u{A60C}\\u{A610}-\\u{A66E}\\u{A680}-\\u{A69D}\\u{A6A0}-\\u{A6EF}" +
  "\\u{A6F2}-\\u{A6F7}\\u{A722}-\\u{A787}\\u{A789}-\\u{A801}\\u{A803}-\\u{A805}\\u{A807}-\\u{A80A}" +
  "\\u{A80C}-\\u{A824}\\u{A827}\\u{A830}-\\u{A837}\\u{A840}-\\u{A873}\\u{A880}-\\u{A8C3}\\u{A8CE}-\\u{A8D9}" +
  "\\u{A8F2}-\\u{A8FE}\\u{A900}-\\u{A925}\\u{A92E}-\\u{A946}\\u{A952}-\\u{A97C}\\u{A983}-\\u{A9B2}" +
  "\\u{A9B4}-\\u{A9B5}\\u{A9BA}-\\u{A9BB}\\u{A9BE}-\\u{A9E4}\\u{A9E6}-\\u{AA28}\\u{AA2F}-\\u{AA30}" +
  "\\u{AA33}-\\u{AA34}\\u{AA40}-\\u{AA42}\\u{AA44}-\\u{AA4B}\\u{AA4D}-\\u{AA7B}\\u{AA7D}-\\u{AAAF}\\u{AAB1}" +
  "\\u{AAB5}-\\u{AAB6}\\u{AAB9}-\\u{AABD}\\u{AAC0}\\u{AAC2}-\\u{AAEB}\\u{AAEE}-\\u{AAF5}\\u{AB01}-\\u{AB69}" +
  "\\u{AB70}-\\u{ABE4}\\u{ABE6}-\\u{ABE7}\\u{ABE9}-\\u{ABEC}\\u{ABF0}-\\u{FB17}\\u{FF21}-\\u{FF3A}" +
  "\\u{FF41}-\\u{FF5A}\\u{FF66}-\\u{FFDC}\\u{10000}-\\u{10100}\\u{10102}-\\u{1013F}\\u{1018D}-\\u{1018E}" +
  "\\u{101D0}-\\u{101FC}\\u{10280}-\\u{102D0}\\u{10300}-\\u{10375}\\u{10380}-\\u{107BA}\\u{11000}" +
  "\\u{11002}-\\u{11037}\\u{11047}-\\u{1104D}\\u{11066}-\\u{1106F}\\u{11071}-\\u{11072}\\u{11075}" +
  "\\u{11082}-\\u{110B2}\\u{110B7}-\\u{110B8}\\u{110BB}-\\u{110C1}\\u{110CD}-\\u{110F9}\\u{11103}-\\u{11126}" +
  "\\u{1112C}\\u{11136}-\\u{11172}\\u{11174}-\\u{11176}\\u{11182}-\\u{111B5}\\u{111BF}-\\u{111C8}" +
  "\\u{111CD}-\\u{111CE}\\u{111D0}-\\u{1122E}\\u{11232}-\\u{11233}\\u{11235}\\u{11238}-\\u{1123D}" +
  "\\u{11280}-\\u{112DE}\\u{112E0}-\\u{112E2}\\u{112F0}-\\u{112F9}\\u{11302}-\\u{11339}\\u{1133D}-\\u{1133F}" +
  "\\u{11341}-\\u{11363}\\u{11400}-\\u{11437}\\u{11440}-\\u{11441}\\u{11445}\\u{11447}-\\u{1145D}" +
  "\\u{1145F}-\\u{114B2}\\u{114B9}\\u{114BB}-\\u{114BE}\\u{114C1}\\u{114C4}-\\u{115B1}\\u{115B8}-\\u{115BB}" +
  "\\u{115BE}\\u{115C1}-\\u{115DB}\\u{11600}-\\u{11632}\\u{1163B}-\\u{1163C}\\u{1163E}\\u{11641}-\\u{11659}" +
  "\\u{11680}-\\u{116AA}\\u{116AC}\\u{116AE}-\\u{116AF}\\u{116B6}\\u{116B8}-\\u{1171A}\\u{11720}-\\u{11721}" +
  "\\u{11726}\\u{11730}-\\u{1182E}\\u{11838}\\u{1183B}-\\u{11938}\\u{1193D}\\u{1193F}-\\u{11942}" +
  "\\u{11944}-\\u{119D3}\\u{119DC}-\\u{119DF}\\u{119E1}-\\u{11A00}\\u{11A07}-\\u{11A08}\\u{11A0B}-\\u{11A32}" +
  "\\u{11A39}-\\u{11A3A}\\u{11A3F}-\\u{11A46}\\u{11A50}\\u{11A57}-\\u{11A58}\\u{11A5C}-\\u{11A89}\\u{11A97}" +
  "\\u{11A9A}-\\u{11C2F}\\u{11C3E}-\\u{11C8F}\\u{11CA9}\\u{11CB1}\\u{11CB4}\\u{11D00}-\\u{11D30}\\u{11D46}" +
  "\\u{11D50}-\\u{11D8E}\\u{11D93}-\\u{11D94}\\u{11D96}\\u{11D98}-\\u{11EF2}\\u{11EF5}-\\u{11FD4}" +
  "\\u{11FFF}-\\u{16AED}\\u{16AF5}-\\u{16B2F}\\u{16B37}-\\u{16F4A}\\u{16F50}-\\u{16F87}\\u{16F93}-\\u{16FE1}" +
  "\\u{16FE3}\\u{16FF0}-\\u{1BC9C}\\u{1BC9F}\\u{1CF50}-\\u{1D166}\\u{1D16A}-\\u{1D172}\\u{1D183}-\\u{1D184}" +
  "\\u{1D18C}-\\u{1D1A9}\\u{1D1AE}-\\u{1D1E8}\\u{1D2E0}-\\u{1D2F3}\\u{1D360}-\\u{1D7CB}\\u{1D800}-\\u{1D9FF}" +
  "\\u{1DA37}-\\u{1DA3A}\\u{1DA6D}-\\u{1DA74}\\u{1DA76}-\\u{1DA83}\\u{1DA85}-\\u{1DA8B}\\u{1DF00}-\\u{1DF1E}" +
  "\\u{1E100}-\\u{1E12C}\\u{1E137}-\\u{1E2AD}\\u{1E2C0}-\\u{1E2EB}\\u{1E2F0}-\\u{1E2F9}\\u{1E7E0}-\\u{1E7FE}" +
  "\\u{1F110}-\\u{1F12E}\\u{1F130}-\\u{1F169}\\u{1F170}-\\u{1F1AC}\\u{1F1E6}-\\u{1F251}\\u{20000}-\\u{2FA1D}" +
  "\\u{30000}-\\u{3134A}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}";
