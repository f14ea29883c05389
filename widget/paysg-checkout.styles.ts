import { css } from 'lit';

/**
 * Defaults close to the Singapore Government Design System; every colour and radius is a
 * `--paysg-*` custom property the host page can set.
 */
export const styles = css`
  :host {
    --_primary: var(--paysg-color-primary, #5925dc);
    --_on-primary: var(--paysg-color-on-primary, #ffffff);
    --_text: var(--paysg-color-text, #1a1a1a);
    --_muted: var(--paysg-color-muted, #545454);
    --_surface: var(--paysg-color-surface, #ffffff);
    --_border: var(--paysg-color-border, #cfcfd6);
    --_success: var(--paysg-color-success, #0f7a3b);
    --_danger: var(--paysg-color-danger, #b42318);
    --_radius: var(--paysg-radius, 8px);
    --_focus: var(--paysg-color-focus, #0070f2);
    display: block;
    max-width: var(--paysg-max-width, 28rem);
    font-family: var(--paysg-font-family, inherit);
    color: var(--_text);
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
  .description {
    margin: 0 0 0.75rem;
    font-size: 1rem;
    line-height: 1.5;
    overflow-wrap: anywhere;
  }
  .amount {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 1rem;
    margin: 0 0 1rem;
    padding-top: 0.75rem;
    border-top: 1px solid var(--_border);
  }
  .amount dt {
    color: var(--_muted);
  }
  .amount dd {
    margin: 0;
    font-size: 1.375rem;
    font-weight: 700;
  }
  .title {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
    font-weight: 700;
  }
  .title.paid {
    color: var(--_success);
  }
  .title.error {
    color: var(--_danger);
  }
  .facts {
    margin: 0.75rem 0 0;
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.25rem 1rem;
  }
  .facts dt {
    color: var(--_muted);
  }
  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  p {
    margin: 0 0 1rem;
    line-height: 1.5;
  }
  button {
    font: inherit;
    font-weight: 600;
    width: 100%;
    min-height: 44px;
    padding: 0.625rem 1rem;
    border-radius: var(--_radius);
    border: 2px solid var(--_primary);
    background: var(--_primary);
    color: var(--_on-primary);
    cursor: pointer;
  }
  .actions {
    display: grid;
    gap: 0.5rem;
  }
  button.secondary {
    background: transparent;
    color: var(--_primary);
  }
  button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.75;
  }
  .busy {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
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
      opacity: 0.6;
    }
  }
  .note {
    margin: 0.75rem 0 0;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  .status {
    margin: 0;
  }
  .lines {
    list-style: none;
    margin: 0 0 0.75rem;
    padding: 0;
    color: var(--_muted);
  }
  .lines li {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
  }
  .fields {
    display: grid;
    gap: 0.875rem;
    margin: 0 0 1rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  label {
    font-weight: 600;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .field-error {
    color: var(--_danger);
    font-weight: 600;
  }
  input {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  input:focus-visible,
  .title:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .title:focus:not(:focus-visible) {
    outline: none;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;
