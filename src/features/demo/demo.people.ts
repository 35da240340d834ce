/**
 * Name material for the generated part of the scenario, in the scripts the partners really write
 * names in. A name in a non-Latin script carries the romanization agencies elsewhere would record,
 * so the same person can appear as «Адриан Волков» at one agency and "Adrian Volkov" at another.
 * All combinations are fictional.
 */

/** One name part: as written natively, and romanized (equal for Latin-script names). */
export interface NamePart {
  native: string;
  latin: string;
}

export interface NameCulture {
  key: string;
  /** Lower-case ISO country codes people of this culture hold as nationality. */
  countries: string[];
  /** Telephone country calling code and the national mobile prefixes used. */
  phone: { cc: string; mobile: string[]; digits: number };
  /** True when names are written family name first (Chinese, Thai is given name first). */
  familyFirst: boolean;
  given: NamePart[];
  family: NamePart[];
}

const latin = (...names: string[]): NamePart[] => names.map((n) => ({ native: n, latin: n }));
const pairs = (...p: [string, string][]): NamePart[] => p.map(([native, l]) => ({ native, latin: l }));

export const NAME_CULTURES: readonly NameCulture[] = [
  {
    key: 'kenyan',
    countries: ['ke'],
    phone: { cc: '254', mobile: ['7'], digits: 9 },
    familyFirst: false,
    given: latin(
      'Daniel',
      'Grace',
      'Peter',
      'Faith',
      'Joseph',
      'Mercy',
      'Brian',
      'Wanjiru',
      'Kevin',
      'Akinyi',
    ),
    family: latin('Mutua', 'Otieno', 'Kamau', 'Wanjiku', 'Njoroge', 'Ochieng', 'Kiprono', 'Chebet', 'Omondi'),
  },
  {
    key: 'andean',
    countries: ['co', 'ec'],
    phone: { cc: '57', mobile: ['3'], digits: 10 },
    familyFirst: false,
    given: latin(
      'José',
      'María',
      'Andrés',
      'Lucía',
      'Jhon Fredy',
      'Valentina',
      'Sebastián',
      'Ángela',
      'Julián',
    ),
    family: latin(
      'Muñoz',
      'Rodríguez',
      'Gómez',
      'Peñaloza',
      'Quiñónez',
      'Ortíz',
      'Cárdenas',
      'Velásquez',
      'Zúñiga',
    ),
  },
  {
    key: 'panamanian',
    countries: ['pa'],
    phone: { cc: '507', mobile: ['6'], digits: 8 },
    familyFirst: false,
    given: latin('Ricardo', 'Itzel', 'Marcos', 'Yaritza', 'Édgar', 'Anabel', 'Rogelio'),
    family: latin('Castillo', 'Batista', 'Núñez', 'Arosemena', 'De León', 'Caballero', 'Jaén'),
  },
  {
    key: 'nigerian',
    countries: ['ng'],
    phone: { cc: '234', mobile: ['80', '81', '70'], digits: 10 },
    familyFirst: false,
    given: latin('Chukwuemeka', 'Adebayo', 'Ngozi', 'Oluwaseun', 'Aisha', 'Ibrahim', 'Funmilayo', 'Emeka'),
    family: latin('Okafor', 'Adeyemi', 'Bello', 'Okonkwo', 'Abubakar', 'Eze', 'Olawale', 'Nwosu'),
  },
  {
    key: 'south_african',
    countries: ['za'],
    phone: { cc: '27', mobile: ['7', '8'], digits: 9 },
    familyFirst: false,
    given: latin('Thabo', 'Sipho', 'Nomvula', 'Pieter', 'Johan', 'Lerato', 'Zanele', 'Andile'),
    family: latin('Nkosi', 'Dlamini', 'van der Merwe', 'Botha', 'Mokoena', 'Naidoo', 'Khumalo', 'Pretorius'),
  },
  {
    key: 'thai',
    countries: ['th'],
    phone: { cc: '66', mobile: ['8', '9'], digits: 9 },
    familyFirst: false,
    given: pairs(
      ['สมชาย', 'Somchai'],
      ['สุดารัตน์', 'Sudarat'],
      ['ประเสริฐ', 'Prasert'],
      ['วิไลวรรณ', 'Wilaiwan'],
      ['อนุชา', 'Anucha'],
      ['กาญจนา', 'Kanchana'],
      ['ธนพล', 'Thanaphon'],
    ),
    family: pairs(
      ['ศรีสุข', 'Srisuk'],
      ['วงศ์สวัสดิ์', 'Wongsawat'],
      ['บุญมา', 'Boonma'],
      ['แสงทอง', 'Saengthong'],
      ['จันทร์เพ็ญ', 'Chanphen'],
      ['ทองดี', 'Thongdee'],
    ),
  },
  {
    key: 'chinese_malaysian',
    countries: ['my'],
    phone: { cc: '60', mobile: ['12', '16', '17'], digits: 9 },
    familyFirst: true,
    given: pairs(
      ['志明', 'Zhiming'],
      ['美玲', 'Meiling'],
      ['伟强', 'Weiqiang'],
      ['丽华', 'Lihua'],
      ['国栋', 'Guodong'],
      ['秀英', 'Xiuying'],
    ),
    family: pairs(
      ['陈', 'Chen'],
      ['林', 'Lin'],
      ['黄', 'Huang'],
      ['张', 'Zhang'],
      ['李', 'Li'],
      ['王', 'Wang'],
    ),
  },
  {
    key: 'malay',
    countries: ['my'],
    phone: { cc: '60', mobile: ['11', '13', '19'], digits: 9 },
    familyFirst: false,
    given: latin('Ahmad Faizal', 'Nurul Aina', 'Mohd Hafiz', 'Siti Zulaikha', 'Azlan', 'Farah Nadia'),
    family: latin('bin Hassan', 'binti Rahman', 'bin Ismail', 'binti Omar', 'bin Yusof', 'binti Aziz'),
  },
  {
    key: 'russian',
    countries: ['ru', 'kz'],
    phone: { cc: '7', mobile: ['9'], digits: 10 },
    familyFirst: false,
    given: pairs(
      ['Олег', 'Oleg'],
      ['Ирина', 'Irina'],
      ['Дмитрий', 'Dmitry'],
      ['Наталья', 'Natalya'],
      ['Сергей', 'Sergei'],
      ['Евгения', 'Yevgenia'],
    ),
    family: pairs(
      ['Смирнов', 'Smirnov'],
      ['Орлов', 'Orlov'],
      ['Белов', 'Belov'],
      ['Зайцев', 'Zaitsev'],
      ['Лебедев', 'Lebedev'],
    ),
  },
  {
    key: 'greek',
    countries: ['gr', 'cy'],
    phone: { cc: '30', mobile: ['69'], digits: 10 },
    familyFirst: false,
    given: pairs(
      ['Γεώργιος', 'Georgios'],
      ['Ελένη', 'Eleni'],
      ['Κωνσταντίνος', 'Konstantinos'],
      ['Μαρία', 'Maria'],
      ['Νικόλαος', 'Nikolaos'],
    ),
    family: pairs(
      ['Παπαδόπουλος', 'Papadopoulos'],
      ['Νικολάου', 'Nikolaou'],
      ['Αλεξίου', 'Alexiou'],
      ['Οικονόμου', 'Oikonomou'],
      ['Χατζηγεωργίου', 'Chatzigeorgiou'],
    ),
  },
  {
    key: 'gulf_arab',
    countries: ['ae', 'om', 'lb'],
    phone: { cc: '971', mobile: ['50', '55'], digits: 9 },
    familyFirst: false,
    given: pairs(
      ['خالد', 'Khalid'],
      ['فاطمة', 'Fatima'],
      ['عمر', 'Omar'],
      ['يوسف', 'Yousef'],
      ['ليلى', 'Layla'],
      ['حمدان', 'Hamdan'],
    ),
    family: pairs(
      ['الحمادي', 'Al-Hammadi'],
      ['المنصوري', 'Al-Mansouri'],
      ['حداد', 'Haddad'],
      ['بن سعيد', 'Bin Saeed'],
      ['الكعبي', 'Al-Kaabi'],
    ),
  },
];

/** Fictional company name material: stems and the legal forms of the jurisdictions used. */
export const COMPANY_STEMS: readonly string[] = [
  'Tidewater',
  'Silver Reef',
  'Golden Mangrove',
  'Northstar',
  'Harbourline',
  'Coral Bay',
  'Blue Horizon',
  'Sable Ridge',
  'Palm Crescent',
  'Equator',
  'Sunbird',
  'Cobalt Gate',
  'Lotus Pier',
  'Granite Key',
  'Amber Coast',
  'Mistral',
];
export const COMPANY_ACTIVITIES: readonly string[] = [
  'Trading',
  'Logistics',
  'Import & Export',
  'Fresh Produce',
  'Marine Services',
  'Holdings',
  'Consulting',
  'Freight Forwarding',
  'Seafood',
  'Commodities',
];
/** Legal form per jurisdiction (lower-case ISO). */
export const LEGAL_FORMS: Record<string, string[]> = {
  ke: ['Limited'],
  ec: ['S.A.', 'Cía. Ltda.'],
  co: ['S.A.S.', 'Ltda.'],
  pa: ['S.A.', 'Inc.', 'Corp.'],
  ng: ['Ltd', 'Nigeria Limited'],
  za: ['(Pty) Ltd'],
  th: ['Co., Ltd.'],
  my: ['Sdn. Bhd.'],
  ae: ['FZE', 'FZCO', 'LLC'],
  cy: ['Ltd'],
  vg: ['Ltd', 'Holdings Ltd'],
};

export const VESSEL_NAMES: readonly string[] = [
  'Ocean Lantern',
  'Jade Crescent',
  'Southern Pride',
  'Mar de Plata',
  'Baraka Star',
  'Sea Falcon II',
  'Cape Serenity',
  'Pacific Verity',
  'Kilindi Trader',
  'Andaman Breeze',
  'Rio Esmeralda',
  'Golden Tern',
  'Aegean Spirit',
  'Coral Express',
  'Nordic Ibis',
  'Monsoon Pearl',
];
export const VESSEL_TYPES: readonly string[] = [
  'Refrigerated cargo',
  'Container ship',
  'General cargo',
  'Fishing vessel',
  'Bulk carrier',
  'Dhow',
];
/** Flags of convenience and coastal states (lower-case ISO). */
export const VESSEL_FLAGS: readonly string[] = ['pa', 'lr', 'mh', 'km', 'tz', 'ec', 'th', 'my', 'cy', 'vc'];

export const CITIES: Record<string, string[]> = {
  ke: ['Nairobi', 'Mombasa', 'Kilifi', 'Malindi'],
  ec: ['Guayaquil', 'Machala', 'Manta'],
  co: ['Cali', 'Buenaventura', 'Medellín', 'Cartagena'],
  pa: ['Panamá', 'Colón', 'David'],
  ng: ['Lagos', 'Abuja', 'Port Harcourt'],
  za: ['Durban', 'Johannesburg', 'Cape Town'],
  th: ['Bangkok', 'Songkhla', 'Phuket'],
  my: ['Kuala Lumpur', 'Port Klang', 'Johor Bahru'],
  ae: ['Dubai', 'Sharjah'],
  cy: ['Limassol', 'Larnaca'],
};

export const ONLINE_SERVICES: readonly string[] = ['Telegram', 'WhatsApp', 'Signal', 'Threema', 'WeChat'];
export const EXCHANGES: readonly string[] = ['Coinvault Exchange', 'Lumen OTC Desk', 'Tiderock Crypto'];
