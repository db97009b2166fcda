-- Tables of impressions-clicks (the job also creates them if missing); used by docker-compose.yml's postgres.
-- Generated from HourlyTotalsTable, LoadAuditTable by ComposeFileTest; do not edit, regenerate with
-- mvn -B -pl flink-job -am test -Dtest=ComposeFileTest -Dsurefire.failIfNoSpecifiedTests=false -Dregenerate.init.sql
CREATE TABLE IF NOT EXISTS csv_data_task (datetime TIMESTAMP PRIMARY KEY, impression_count BIGINT NOT NULL, click_count BIGINT NOT NULL, audit_loaded_datetime TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS load_audit (file TEXT PRIMARY KEY, kind TEXT, event_hour TIMESTAMP, rows_read BIGINT NOT NULL, rows_matched BIGINT NOT NULL, status TEXT NOT NULL, reason TEXT, processed_at TIMESTAMP NOT NULL);
