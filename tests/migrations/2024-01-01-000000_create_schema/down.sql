DROP TABLE comments;
DROP TABLE subscriptions;
DROP TABLE invoices;
DROP TABLE notes;
DROP TABLE accounts;
DROP TABLE plans;
DROP TABLE tenants;
