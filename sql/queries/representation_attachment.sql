-- Files the consulted party attaches to a version of its representations (issue 5).

-- name: RepresentationAttachmentInsert :one
INSERT INTO representation_attachments (consultation_id, representation_version, name, content_type, size, sha256,
                                        content, key_id, wrapped_key, uploaded_by, uploaded_at)
VALUES (@consultation_id, @representation_version, @name, @content_type, @size, @sha256, @content, @key_id,
        @wrapped_key, @uploaded_by, @now)
RETURNING id;

-- name: RepresentationAttachmentListByConsultation :many
-- Every attachment of a consultation's representations, without the content: by version, then upload order.
SELECT id, consultation_id, representation_version, name, content_type, size, sha256, uploaded_by, uploaded_at
FROM representation_attachments
WHERE consultation_id = @consultation_id
ORDER BY representation_version, id;

-- name: RepresentationAttachmentGet :one
SELECT * FROM representation_attachments WHERE id = @id AND consultation_id = @consultation_id;
