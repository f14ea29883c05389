/**
 * What a fine letter says, in English, Simplified Chinese and Tamil, kept apart from its layout so
 * a translator reads one file. The agency's name and the offence come from the fine rules (the
 * agency writes them in each language); these are the words around them.
 * @module
 */
import type { LetterLanguage } from './fine-rules-schema.js';

export interface LetterTexts {
  title: string;
  to: string;
  reference: string;
  dateOfNotice: string;
  offence: string;
  /** The payment's description: what the fine is for, with the vehicle or case it names. */
  details: string;
  amount: string;
  payBy: string;
  howToPay: string;
  paymentLink: string;
  /** `{origin}`: where PaySG's links start, so a payer can tell a real link from a scam's. */
  checkLink: string;
  /** `{agency}`: the agency's name. */
  questions: string;
}

export const LETTER_TEXTS: Record<LetterLanguage, LetterTexts> = {
  en: {
    title: 'Notice of fine',
    to: 'To',
    reference: 'Reference',
    dateOfNotice: 'Date of notice',
    offence: 'Offence',
    details: 'Details',
    amount: 'Amount payable',
    payBy: 'Pay by',
    howToPay:
      "Please pay the amount above by the due date at the link below, or scan the QR code with your phone's camera. The link is issued by PaySG, the Singapore Government's payment service.",
    paymentLink: 'Payment link',
    checkLink: 'Before paying, check that the link starts with {origin}',
    questions: 'For questions about this fine, please contact {agency}.',
  },
  zh: {
    title: '罚款通知书',
    to: '致',
    reference: '参考编号',
    dateOfNotice: '通知日期',
    offence: '违规事项',
    details: '详情',
    amount: '应付金额',
    payBy: '付款截止日期',
    howToPay:
      '请在截止日期前通过以下链接缴付上述金额，或用手机相机扫描二维码付款。此链接由新加坡政府付款服务 PaySG 发出。',
    paymentLink: '付款链接',
    checkLink: '付款前，请确认链接以 {origin} 开头',
    questions: '如对此罚款有任何疑问，请联系{agency}。',
  },
  ta: {
    title: 'அபராத அறிவிப்பு',
    to: 'பெறுநர்',
    reference: 'குறிப்பு எண்',
    dateOfNotice: 'அறிவிப்புத் தேதி',
    offence: 'குற்றம்',
    details: 'விவரங்கள்',
    amount: 'செலுத்த வேண்டிய தொகை',
    payBy: 'செலுத்த வேண்டிய இறுதி நாள்',
    howToPay:
      'மேலே உள்ள தொகையை இறுதி நாளுக்குள் கீழே உள்ள இணைப்பில் செலுத்துங்கள், அல்லது உங்கள் கைப்பேசி கேமராவால் QR குறியீட்டை ஸ்கேன் செய்யுங்கள். இந்த இணைப்பை சிங்கப்பூர் அரசாங்கத்தின் கட்டணச் சேவையான PaySG வழங்குகிறது.',
    paymentLink: 'கட்டண இணைப்பு',
    checkLink: 'செலுத்துவதற்கு முன், இணைப்பு {origin} என்று தொடங்குகிறதா எனச் சரிபாருங்கள்',
    questions: 'இந்த அபராதம் பற்றிய கேள்விகளுக்கு {agency} ஐத் தொடர்புகொள்ளுங்கள்.',
  },
};
