import { checkoutStoreContract } from '../helpers/store-contract.js';
import { openPostgresStore, postgresUnavailable } from '../helpers/postgres.js';

const skip = await postgresUnavailable();

checkoutStoreContract('PostgreSQL', () => openPostgresStore(), { skip });
