/**
 * An Angular 21 page that embeds <paysg-checkout> and reacts to a verified payment: a standalone
 * component whose `schemas: [CUSTOM_ELEMENTS_SCHEMA]` lets its template use the tag, `[item]`
 * binds a property (Angular sets properties, as React and Vue do), and `(paysg-paid)` listens to
 * the DOM event. Zoneless, with signals. This page is compiled just in time in the browser
 * (`@angular/compiler`), which needs no Angular CLI here; an agency's `ng build` compiles the same
 * component ahead of time, with the same bindings.
 */
import '@angular/compiler';
import {
  Component,
  CUSTOM_ELEMENTS_SCHEMA,
  enableProdMode,
  provideZonelessChangeDetection,
  signal,
} from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import type { PaysgPaidEvent } from '../../widget/index.js';
import { chosenService, SERVICES, useService } from './services.js';

@Component({
  selector: 'licence-services',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Licence services (Angular)</h1>
      <label for="service">Service</label>
      <select id="service" [value]="item()" (change)="choose($any($event.target).value)">
        @for (service of services; track service[0]) {
          <option [value]="service[0]" [selected]="service[0] === item()">{{ service[1] }}</option>
        }
      </select>
      <paysg-checkout endpoint="/paysg" [item]="item()" payer-name="Tan Ah Kow" (paysg-paid)="paid($event)"></paysg-checkout>
      <p id="angular-status" role="status">{{ referenceId() ? 'Thank you: payment ' + referenceId() + ' received.' : 'Not paid yet.' }}</p>
    </main>
  `,
})
class LicenceServices {
  readonly services = Object.entries(SERVICES);
  readonly item = signal(chosenService());
  readonly referenceId = signal<string | null>(null);

  choose(item: string): void {
    this.item.set(useService(item));
  }

  paid(event: Event): void {
    this.referenceId.set((event as PaysgPaidEvent).detail.referenceId);
  }
}

enableProdMode();
bootstrapApplication(LicenceServices, { providers: [provideZonelessChangeDetection()] }).catch(
  (err: unknown) => console.error(err),
);
