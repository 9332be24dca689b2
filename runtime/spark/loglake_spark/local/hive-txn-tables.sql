-- Hive 2.3 metastore's transaction tables (locks), which DataNucleus's autoCreateAll does not make.
-- Iceberg's HiveCatalog takes a metastore lock around each commit. Dumped from the tables Hive's own
-- TxnDbUtil.prepDb creates, plus AUX_TABLE (the lock mutex) from Hive's schema scripts.
CREATE TABLE public.aux_table (
    mt_key1 character varying(128) NOT NULL,
    mt_key2 bigint NOT NULL,
    mt_comment character varying(255)
);
CREATE TABLE public.completed_txn_components (
    ctc_txnid bigint,
    ctc_database character varying(128) NOT NULL,
    ctc_table character varying(128),
    ctc_partition character varying(767)
);
CREATE TABLE public.hive_locks (
    hl_lock_ext_id bigint NOT NULL,
    hl_lock_int_id bigint NOT NULL,
    hl_txnid bigint,
    hl_db character varying(128) NOT NULL,
    hl_table character varying(128),
    hl_partition character varying(767),
    hl_lock_state character(1) NOT NULL,
    hl_lock_type character(1) NOT NULL,
    hl_last_heartbeat bigint NOT NULL,
    hl_acquired_at bigint,
    hl_user character varying(128) NOT NULL,
    hl_host character varying(128) NOT NULL,
    hl_heartbeat_count integer,
    hl_agent_info character varying(128),
    hl_blockedby_ext_id bigint,
    hl_blockedby_int_id bigint
);
CREATE TABLE public.next_lock_id (
    nl_next bigint NOT NULL
);
CREATE TABLE public.next_txn_id (
    ntxn_next bigint NOT NULL
);
CREATE TABLE public.txn_components (
    tc_txnid bigint,
    tc_database character varying(128) NOT NULL,
    tc_table character varying(128),
    tc_partition character varying(767),
    tc_operation_type character(1) NOT NULL
);
CREATE TABLE public.txns (
    txn_id bigint NOT NULL,
    txn_state character(1) NOT NULL,
    txn_started bigint NOT NULL,
    txn_last_heartbeat bigint NOT NULL,
    txn_user character varying(128) NOT NULL,
    txn_host character varying(128) NOT NULL
);
ALTER TABLE ONLY public.aux_table
    ADD CONSTRAINT aux_table_pkey PRIMARY KEY (mt_key1, mt_key2);
ALTER TABLE ONLY public.hive_locks
    ADD CONSTRAINT hive_locks_pkey PRIMARY KEY (hl_lock_ext_id, hl_lock_int_id);
ALTER TABLE ONLY public.txns
    ADD CONSTRAINT txns_pkey PRIMARY KEY (txn_id);
CREATE INDEX hl_txnid_index ON public.hive_locks USING btree (hl_txnid);
ALTER TABLE ONLY public.txn_components
    ADD CONSTRAINT txn_components_tc_txnid_fkey FOREIGN KEY (tc_txnid) REFERENCES public.txns(txn_id);
INSERT INTO public.next_txn_id VALUES (1);
INSERT INTO public.next_lock_id VALUES (1);
