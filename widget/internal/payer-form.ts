/**
 * The inline form for what the host page did not give: the payer's name (PaySG requires it), an
 * optional e-mail for the receipt, and the amount for items whose amount the payer chooses.
 * Errors are tied to their fields (aria-invalid, aria-describedby) and shown only after Pay.
 */
import { html, nothing } from 'lit/html.js';
import { fill, type Messages } from '../locales/index.js';
import { formatMoney } from '../../contract/money-format.js';

export interface PayerFormNeeds {
  name: boolean;
  /** Bounds in cents, when the payer chooses the amount. */
  amount?: { min: number; max: number; currency: string };
}

export interface PayerFormValues {
  name: string;
  email: string;
  amount: string;
}

export type PayerFormErrors = Partial<Record<keyof PayerFormValues, string>>;

/** Deliberately simple: the BFF and PaySG check addresses again. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const AMOUNT = /^\d{1,6}(\.\d{1,2})?$/;

export function amountInCents(text: string): number | undefined {
  const trimmed = text.trim().replace(/,/g, '');
  return AMOUNT.test(trimmed) ? Math.round(Number(trimmed) * 100) : undefined;
}

export function validatePayerForm(
  values: PayerFormValues,
  needs: PayerFormNeeds,
  m: Messages,
  lang: string,
): PayerFormErrors {
  const errors: PayerFormErrors = {};
  if (needs.name && !values.name.trim()) errors.name = m.nameError;
  if (needs.name && values.email.trim() && !EMAIL.test(values.email.trim()))
    errors.email = m.emailError;
  if (needs.amount) {
    const cents = amountInCents(values.amount);
    const { min, max, currency } = needs.amount;
    if (cents === undefined || cents < min || cents > max) {
      errors.amount = fill(m.amountError, {
        min: formatMoney(min, currency, lang),
        max: formatMoney(max, currency, lang),
      });
    }
  }
  return errors;
}

function field(
  id: keyof PayerFormValues,
  label: string,
  value: string,
  error: string | undefined,
  options: {
    type: 'text' | 'email';
    autocomplete: 'off' | 'name' | 'email';
    inputmode?: 'decimal';
    hint?: string;
    required?: boolean;
  },
  onInput: (id: keyof PayerFormValues, value: string) => void,
) {
  const described = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field" part="field">
    <label for=${id}>${label}</label>
    ${options.hint ? html`<span class="hint" id="${id}-hint">${options.hint}</span>` : nothing}
    ${error ? html`<span class="field-error" id="${id}-error">${error}</span>` : nothing}
    <input
      id=${id}
      name=${id}
      type=${options.type}
      autocomplete=${options.autocomplete}
      inputmode=${options.inputmode ?? nothing}
      .value=${value}
      ?required=${options.required ?? false}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${described || nothing}
      @input=${(e: Event) => onInput(id, (e.target as HTMLInputElement).value)}
    />
  </div>`;
}

export function renderPayerForm(
  values: PayerFormValues,
  errors: PayerFormErrors,
  needs: PayerFormNeeds,
  m: Messages,
  onInput: (id: keyof PayerFormValues, value: string) => void,
) {
  if (!needs.name && !needs.amount) return nothing;
  return html`<div class="fields">
    ${
      needs.amount
        ? field(
            'amount',
            m.chooseAmountLabel,
            values.amount,
            errors.amount,
            { type: 'text', autocomplete: 'off', inputmode: 'decimal', required: true },
            onInput,
          )
        : nothing
    }
    ${
      needs.name
        ? html`${field('name', m.nameLabel, values.name, errors.name, { type: 'text', autocomplete: 'name', required: true }, onInput)}
        ${field('email', m.emailLabel, values.email, errors.email, { type: 'email', autocomplete: 'email', hint: m.emailHint }, onInput)}`
        : nothing
    }
  </div>`;
}
