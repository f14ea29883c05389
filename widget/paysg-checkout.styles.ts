import { css } from 'lit';

/**
 * Defaults close to the Singapore Government Design System; every colour and radius is a
 * `--paysg-*` custom property the host page can set. Rules that share declarations are grouped,
 * and fractions have no leading zero: the widget has a size budget.
 */
export const styles = css`
  :host {
    --_primary: var(--paysg-color-primary, #5925dc);
    --_on-primary: var(--paysg-color-on-primary, #fff);
    --_text: var(--paysg-color-text, #1a1a1a);
    --_muted: var(--paysg-color-muted, #545454);
    --_surface: var(--paysg-color-surface, #fff);
    --_border: var(--paysg-color-border, #cfcfd6);
    --_success: var(--paysg-color-success, #0f7a3b);
    --_danger: var(--paysg-color-danger, #b42318);
    --_radius: var(--paysg-radius, 8px);
    --_focus: var(--paysg-color-focus, #0070f2);
    display: block;
    max-width: var(--paysg-max-width, 28rem);
    font-family: var(--paysg-font-family, inherit);
    color: var(--_text);
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_primary: var(--paysg-color-primary, #b69cff);
      --_on-primary: var(--paysg-color-on-primary, #16112a);
      --_text: var(--paysg-color-text, #f1f1f4);
      --_muted: var(--paysg-color-muted, #c2c2cc);
      --_surface: var(--paysg-color-surface, #1c1a24);
      --_border: var(--paysg-color-border, #45414f);
      --_success: var(--paysg-color-success, #6fd69a);
      --_danger: var(--paysg-color-danger, #ff9b91);
      --_focus: var(--paysg-color-focus, #8ab8ff);
    }
  }
  :host([hidden]) {
    display: none;
  }
  .card {
    position: relative;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1.25rem;
  }
  p {
    margin: 0 0 1rem;
  }
  dd {
    margin: 0;
  }
  .money,
  .ref {
    white-space: nowrap;
  }
  .description,
  .lines {
    margin: 0 0 .75rem;
    overflow-wrap: anywhere;
  }
  .amount,
  .lines li {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 1rem;
  }
  .amount {
    margin: 0 0 1rem;
    padding-top: .75rem;
    border-top: 1px solid var(--_border);
  }
  .amount dd {
    font-size: 1.375rem;
    font-weight: 700;
  }
  .amount .choose {
    font-size: 1rem;
    font-weight: 400;
    color: var(--_muted);
  }
  dt,
  .lines,
  .hint,
  .note {
    color: var(--_muted);
  }
  .title {
    margin: 0 0 .5rem;
    font-size: 1.125rem;
    font-weight: 700;
  }
  .paid {
    color: var(--_success);
  }
  .error,
  .field-error {
    color: var(--_danger);
  }
  .facts {
    margin: .75rem 0 0;
    display: grid;
    grid-template-columns: auto 1fr;
    gap: .25rem 1rem;
  }
  button,
  input {
    font: inherit;
    min-height: 44px;
    border-radius: var(--_radius);
    border: 2px solid var(--_border);
    padding: .5rem .75rem;
  }
  button {
    font-weight: 600;
    width: 100%;
    padding: .625rem 1rem;
    border-color: var(--_primary);
    background: var(--_primary);
    color: var(--_on-primary);
    cursor: pointer;
  }
  .secondary {
    background: none;
    color: var(--_primary);
  }
  button[aria-disabled='true'] {
    cursor: progress;
    opacity: .75;
  }
  button.off {
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  /* A heading takes focus only when the state changes: a ring for keyboard users, not for every click. */
  .title:focus {
    outline: none;
  }
  .keyboard .title:focus-visible {
    outline: 3px solid var(--_focus);
  }
  .actions,
  .fields,
  .field {
    display: grid;
    gap: .5rem;
  }
  .fields {
    gap: .875rem;
    margin: 0 0 1rem;
  }
  .field {
    gap: .25rem;
  }
  label,
  .field-error {
    font-weight: 600;
  }
  .busy {
    display: inline-flex;
    align-items: center;
    gap: .5rem;
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin .8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
      border-right-color: currentColor;
      opacity: .6;
    }
  }
  .note,
  .hint {
    font-size: .875rem;
  }
  .note {
    margin: .75rem 0 0;
  }
  .waiting {
    display: grid;
    place-items: center;
    min-height: 9rem;
  }
  .lines {
    list-style: none;
    padding: 0;
  }
  input {
    background: var(--_surface);
    color: var(--_text);
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
