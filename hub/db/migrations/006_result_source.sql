-- Paper results (实体检查结果): a decision records where the result it decided on came from, so
-- monitoring can tell paper from platform recognitions. NULL = decisions sent before this field
-- existed (platform). Events keep it in `detail` (prompted: resultSource).
alter table decision add column result_source text check (result_source in ('platform', 'paper'));
create index decision_paper on decision (hospital_id, decided_at) where result_source = 'paper';
