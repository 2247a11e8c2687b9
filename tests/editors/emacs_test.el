;;; emacs_test.el --- Batch Emacs driver for tests/editors/test_emacs.py  -*- lexical-binding: t; -*-
;;
;;   emacs --batch -q --no-site-file -l emacs_test.el FILE...
;;
;; Loads editor-clients/emacs/dockerls.el ($DOCKERLS_CLIENT_DIR) with the server command
;; $DOCKERLS_SERVER_CMD (JSON list), opens each FILE the way a user would (the major mode from
;; auto-mode-alist, `eglot-ensure' from the mode hook, run by the command loop), waits for Flymake
;; diagnostics, feeds the progress handler, and writes what it saw to $DOCKERLS_TEST_OUT (JSON).

(require 'package)
(package-initialize)
(require 'json)
(require 'flymake)
(require 'cl-lib)

(unless (require 'dockerfile-mode nil t)
  ;; No dockerfile-mode package: a minimal mode is enough for the server.
  (define-derived-mode dockerfile-mode prog-mode "Dockerfile")
  (add-to-list 'auto-mode-alist '("\\(?:\\`\\|/\\)\\(?:Docker\\|Container\\)file\\(?:\\.[^/]*\\)?\\'" . dockerfile-mode)))

(add-to-list 'load-path (getenv "DOCKERLS_CLIENT_DIR"))
(require 'dockerls)
(setq dockerls-server-command (append (json-read-from-string (getenv "DOCKERLS_SERVER_CMD")) nil))
(setq dockerls-settings '(:ignore ["DL3059"]))
(setq eglot-sync-connect 30)
(dockerls-setup)

(defvar dockerls-test-timeout (/ (string-to-number (or (getenv "DOCKERLS_TEST_TIMEOUT") "20000")) 1000.0))

(defun dockerls-test--codes ()
  (mapcar (lambda (d)
            (let ((text (flymake-diagnostic-text d)))
              `((code . ,(and (string-match "\\[\\([A-Za-z]+[0-9]+\\)\\]" text) (match-string 1 text)))
                (line . ,(1- (line-number-at-pos (flymake-diagnostic-beg d))))
                (message . ,text))))
          (flymake-diagnostics)))

(defun dockerls-test--open (file)
  (find-file file)
  ;; eglot-ensure connects from post-command-hook: run it as the command loop would
  (run-hooks 'post-command-hook)
  (let ((start (float-time)))
    (while (and (null (flymake-diagnostics)) (< (- (float-time) start) dockerls-test-timeout))
      (accept-process-output nil 0.05))
    (let ((server (eglot-current-server)))
      `((file . ,file)
        (mode . ,(symbol-name major-mode))
        (attached . ,(and server t))
        (class . ,(and server (symbol-name (eieio-object-class server))))
        (language_id . ,(and server (eglot--language-id server)))
        (ms . ,(round (* 1000 (- (float-time) start))))
        (diagnostics . ,(vconcat (dockerls-test--codes)))))))

(defun dockerls-test--progress ()
  (let ((server (with-current-buffer (find-buffer-visiting (car command-line-args-left)) (eglot-current-server)))
        (seen '()))
    (dolist (value '((:kind "begin" :title "Develop in Container" :message "building" :percentage 0)
                     (:kind "report" :message "step 2/4" :percentage 50)
                     (:kind "end" :message "container up")))
      (eglot-handle-notification server '$/progress :token "test-token" :value value)
      (push dockerls-last-progress seen))
    (vconcat (nreverse seen))))

(defun dockerls-test--command ()
  "Run `dockerls-logs' in the first file's buffer; the reply it echoes (done or the server's error)."
  (with-current-buffer (find-buffer-visiting (car command-line-args-left))
    (let ((start (float-time)) (reply nil))
      (cl-letf* ((orig (symbol-function 'message))
                 ((symbol-function 'message)
                  (lambda (fmt &rest args)
                    (let ((text (apply #'format fmt args)))
                      (when (string-match-p "\\`dockerls: dockerls\\.logs\\(: \\| failed\\)" text)
                        (setq reply text))
                      (apply orig fmt args)))))
        (call-interactively #'dockerls-logs)
        (while (and (null reply) (< (- (float-time) start) dockerls-test-timeout))
          (accept-process-output nil 0.05)))
      reply)))

(let ((out (getenv "DOCKERLS_TEST_OUT"))
      (result nil))
  (condition-case err
      (let ((files (mapcar #'dockerls-test--open command-line-args-left)))
        (setq result `((files . ,(vconcat files))
                       (progress . ,(dockerls-test--progress))
                       (command_reply . ,(dockerls-test--command))
                       (messages . ,(with-current-buffer "*Messages*" (buffer-string)))
                       (commands . ,(and (commandp 'dockerls-develop) (commandp 'dockerls-logs) t))
                       (emacs . ,emacs-version)
                       (eglot . ,(or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) nil)))))
    (error (setq result `((error . ,(error-message-string err))))))
  (with-temp-file out (insert (json-encode result)))
  (setq command-line-args-left nil)
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs (if (assq 'error result) 3 0)))
