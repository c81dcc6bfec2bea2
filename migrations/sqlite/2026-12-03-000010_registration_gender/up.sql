-- The delegate's gender, optional (ITU reports the gender balance of participation); NULL when
-- the delegate did not answer.
ALTER TABLE registrations ADD COLUMN gender TEXT CHECK (gender IN ('female', 'male', 'other', 'undisclosed'));
